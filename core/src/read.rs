//! Reading JSON: the one way the core turns text into its types (a bundle's header, a page of
//! its index, a matter, load options, a receipt).
//!
//! Every text goes through serde_json, with one difference: a struct is read from a JSON object
//! only, never from an array. serde_json reads a struct from either (`[1, 2]` fills the first two
//! fields), so the code serde derives for every rule type held two readers, one for each form,
//! and the one for arrays could never be reached by a text the core accepts: every bundle is
//! checked to be in the canonical form the core writes, where a struct is always an object. The
//! wrapper below asks serde_json for a map wherever a struct is wanted, so the reader for arrays
//! is never called and not linked: the WebAssembly module is smaller by that much
//! (tests/bench/README.md, "What the module is made of"). Everything else is passed on as it is,
//! errors included.
//!
//! An array where a struct belongs is refused as a type error ("invalid type: sequence, expected
//! struct …") instead of being read field by field.

use core::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, Visitor};

/// Reads `text` as a `T`, which must be the whole of `text` (trailing whitespace aside), with
/// structs read from JSON objects only.
pub(crate) fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Objects(&mut de))?;
    de.end()?;
    Ok(value)
}

/// A deserializer that reads structs as maps, and hands itself on to every value inside.
struct Objects<D>(D);

/// A visitor, seed or access whose inner values are read through [`Objects`].
struct Inner<X>(X);

macro_rules! forward {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Inner(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Inner(visitor))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Inner(visitor))
    }

    // serde_json reads its raw values through a newtype of a name of its own: passed on as is.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Inner(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Inner(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Inner(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Inner(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Inner<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    // Every value serde_json hands over is passed on unchanged, so that each type reads exactly
    // what it read before this wrapper. Floats are not among them: with `arbitrary_precision`,
    // serde_json hands a number that is not an integer over as its text (a map of its own), and
    // no rule type asks for a float, so `visit_f64` keeps serde's refusal.
    visit!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: alloc::string::String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: alloc::vec::Vec<u8>,
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(d))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Inner(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Inner(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Inner(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Inner<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(d))
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Inner<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Inner(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Inner<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Inner(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Inner(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Inner<A> {
    type Error = A::Error;
    type Variant = Inner<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Inner(seed))?;
        Ok((value, Inner(variant)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Inner<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Inner(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Inner(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Inner(visitor))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use crate::source::MatterSource;
    use alloc::string::ToString;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Pair {
        a: u32,
        #[serde(default)]
        b: Option<alloc::string::String>,
    }

    #[test]
    fn structs_are_read_from_objects_only() {
        let pair: Pair = from_str(r#"{"a":1,"b":"x"}"#).unwrap();
        assert_eq!(
            pair,
            Pair {
                a: 1,
                b: Some("x".into())
            }
        );
        // serde_json alone reads the array; this reader refuses it as the wrong type.
        assert!(serde_json::from_str::<Pair>(r#"[1,"x"]"#).is_ok());
        // serde_json places a type error after the characters before the value: column 0 is
        // the first value of the text, column 9 the tenth character.
        let refused = from_str::<Pair>(r#"[1,"x"]"#).unwrap_err().to_string();
        assert_eq!(
            refused,
            "invalid type: sequence, expected struct Pair at line 1 column 0"
        );
        let nested = from_str::<alloc::vec::Vec<Pair>>(r#"[{"a":1},[2]]"#).unwrap_err();
        assert_eq!(
            nested.to_string(),
            "invalid type: sequence, expected struct Pair at line 1 column 9"
        );
    }

    #[test]
    fn the_rest_reads_as_serde_json_reads_it() {
        assert_eq!(
            from_str::<Pair>(r#"{"a":1} x"#).unwrap_err().to_string(),
            serde_json::from_str::<Pair>(r#"{"a":1} x"#)
                .unwrap_err()
                .to_string()
        );
        assert_eq!(
            from_str::<Pair>(r#"{"b":"x"}"#).unwrap_err().to_string(),
            "missing field `a` at line 1 column 9"
        );
        // A number that is not an integer is refused with serde_json's own words, where an
        // integer or decimal text is wanted alike.
        for text in [r#"{"a":1.5}"#, r#"{"a":1e3}"#, r#"{"a":-0}"#] {
            assert_eq!(
                from_str::<Pair>(text).unwrap_err().to_string(),
                serde_json::from_str::<Pair>(text).unwrap_err().to_string()
            );
        }
        let bound = "1.5";
        assert_eq!(
            from_str::<crate::source::NumberSource>(bound)
                .unwrap_err()
                .to_string(),
            serde_json::from_str::<crate::source::NumberSource>(bound)
                .unwrap_err()
                .to_string()
        );
    }

    /// Every page and matter line of the shipped rules' catalogue reads to what serde_json
    /// reads: the same pages of the index, the same matters (each written again by the core's
    /// writer, so every field is compared).
    #[test]
    fn every_line_of_the_shipped_catalogue_reads_as_serde_json_reads_it() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        let files = banshi_loader::read_rules(&rules, &[]).unwrap();
        let (source, problems) = banshi_loader::sources(&files);
        assert!(problems.is_empty(), "{problems:?}");
        // The loader's sources are another build of this crate's types: passed on as JSON.
        let source: crate::RuleSetSource =
            serde_json::from_str(&serde_json::to_string(&source).unwrap()).unwrap();
        let text = crate::bundle::write(&source).unwrap();
        let mut lines = text.lines();
        let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        let pages = header["index"]["pages"].as_array().unwrap().len();
        let (mut read_pages, mut read_matters) = (0, 0);
        for (i, line) in lines.enumerate() {
            if i < pages {
                let ours: alloc::vec::Vec<crate::index::Entry> = from_str(line).unwrap();
                let theirs: alloc::vec::Vec<crate::index::Entry> =
                    serde_json::from_str(line).unwrap();
                assert_eq!(crate::json::to_json(&ours, "a page").unwrap(), line);
                assert_eq!(ours, theirs);
                read_pages += 1;
            } else {
                let ours: MatterSource = from_str(line).unwrap();
                let theirs: MatterSource = serde_json::from_str(line).unwrap();
                assert_eq!(ours, theirs);
                read_matters += 1;
            }
        }
        assert!(
            read_pages >= 1 && read_matters >= 13,
            "{read_pages} {read_matters}"
        );
    }
}
