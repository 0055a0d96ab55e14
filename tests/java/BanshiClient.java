// A Java server calling `banshi serve` with nothing but the JDK (java.net.http, Java 11 or later).
//
// Usage: java BanshiClient BASE_URL MATTER ON FACTS.json
//   prints the decision's bytes on standard output (exactly what `banshi decide --compact`
//   prints), after checking that the server is up and that a malformed request is refused with
//   a JSON error and 400 while the server keeps answering. Exits 1 on any failure.
//
// The facts are sent as the JSON text read from the file, untouched, so a decimal such as 0.1
// reaches the rules exactly; a Java server holding its facts as objects writes them with its
// own JSON library (Jackson, Gson) and sends that text.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

public final class BanshiClient {
    /** An answer: the HTTP status and the JSON body (a decision, or {"ok":false,"errors":[…]}). */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public BanshiClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** POST /v1/decide: the whole decision for a matter, a date (YYYY-MM-DD) and facts (JSON text). */
    public Answer decide(String matter, String on, String factsJson) throws Exception {
        String body = "{\"matter\":" + quote(matter) + ",\"on\":" + quote(on) + ",\"facts\":" + factsJson + "}";
        return post("/v1/decide", body);
    }

    /** POST /v1/questions: what to ask the applicant next. */
    public Answer questions(String matter, String on, String factsJson) throws Exception {
        String body = "{\"matter\":" + quote(matter) + ",\"on\":" + quote(on) + ",\"facts\":" + factsJson + "}";
        return post("/v1/questions", body);
    }

    public Answer post(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), response.body());
    }

    public Answer get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Answer(response.statusCode(), response.body());
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            System.err.println("java client: " + what);
            System.exit(1);
        }
    }

    public static void main(String[] args) throws Exception {
        require(args.length == 4, "usage: java BanshiClient BASE_URL MATTER ON FACTS.json");
        BanshiClient client = new BanshiClient(args[0]);
        String facts = Files.readString(Path.of(args[3]), StandardCharsets.UTF_8).strip();

        Answer health = client.get("/healthz");
        require(health.ok() && health.body().contains("\"status\":\"ok\""), "healthz: " + health);

        Answer malformed = client.post("/v1/decide", "{\"matter\":");
        require(malformed.status() == 400 && malformed.body().contains("\"code\":\"invalid_json\""),
                "a malformed request: " + malformed);

        Answer questions = client.questions(args[1], args[2], "{}");
        require(questions.ok() && questions.body().contains("\"questions\":["), "questions: " + questions);

        Answer decision = client.decide(args[1], args[2], facts);
        require(decision.ok(), "decide: " + decision);
        System.out.print(decision.body());
    }
}
