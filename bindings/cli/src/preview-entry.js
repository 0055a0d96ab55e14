// `banshi preview`'s stand-in for the package's browser entry: the real one, with every
// decision the kiosk makes also posted to the preview panel around it, and today's date
// replaced by the preview's (PREVIEW_ON, appended by the server).
import { Engine as RealEngine, todayInChina as realToday } from './browser.real.js';
export * from './browser.real.js';

function post(kind, args, answer) {
  if (window.parent === window) return;
  window.parent.postMessage({ preview: kind, matter: args[0], facts: args[1], on: args[2] && args[2].on, answer: answer }, '*');
}

function wrap(engine) {
  return new Proxy(engine, {
    get: function (target, name) {
      var value = target[name];
      if (typeof value !== 'function') return value;
      if (name === 'decide' || name === 'questions') {
        return function () {
          var args = Array.prototype.slice.call(arguments);
          var answer = value.apply(target, args);
          post(name, args, answer);
          return answer;
        };
      }
      return value.bind(target);
    },
  });
}

export const Engine = {
  load: function () {
    return RealEngine.load.apply(RealEngine, arguments).then(wrap);
  },
};

export function todayInChina() {
  return PREVIEW_ON || realToday();
}
