//! Whether a file holds a field the types do not know, noticed without saying
//! where. Naming the field's path (serde_ignored) costs a string for every key
//! of every file; this only raises a flag, and the rare file that raises it is
//! read again the long way for the message. A field serde does not know is
//! passed over with `deserialize_ignored_any`: that call, at any depth, is what
//! raises the flag. Everything else is handed through untouched, so the value
//! and every error are what the plain deserializer gives.

use std::cell::Cell;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// `T` from `deserializer`, with `ignored` set if a field of the text was not `T`'s.
pub fn deserialize<'de, D: Deserializer<'de>, T: de::Deserialize<'de>>(
    deserializer: D,
    ignored: &Cell<bool>,
) -> Result<T, D::Error> {
    T::deserialize(Watched { inner: deserializer, ignored })
}

struct Watched<'a, D> {
    inner: D,
    ignored: &'a Cell<bool>,
}

impl<'a, D> Watched<'a, D> {
    fn watch<X>(&self, inner: X) -> Watched<'a, X> {
        Watched { inner, ignored: self.ignored }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $type:ty),*)),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $type,)* visitor: V) -> Result<V::Value, D::Error> {
                let visitor = self.watch(visitor);
                self.inner.$method($($arg,)* visitor)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Watched<'_, D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any(),
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_f32(),
        deserialize_f64(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_option(),
        deserialize_unit(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_seq(),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_map(),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier(),
    );

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.ignored.set(true);
        self.inner.deserialize_ignored_any(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, value: $type) -> Result<V::Value, E> {
                self.inner.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watched<'_, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.expecting(formatter)
    }

    forward_visit!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
        visit_str(&str),
        visit_borrowed_str(&'de str),
        visit_string(String),
        visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]),
        visit_byte_buf(Vec<u8>),
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        let deserializer = self.watch(deserializer);
        self.inner.visit_some(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        let deserializer = self.watch(deserializer);
        self.inner.visit_newtype_struct(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let seq = self.watch(seq);
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let map = self.watch(map);
        self.inner.visit_map(map)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let data = self.watch(data);
        self.inner.visit_enum(data)
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Watched<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        let deserializer = self.watch(deserializer);
        self.inner.deserialize(deserializer)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Watched<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        let seed = self.watch(seed);
        self.inner.next_element_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Watched<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let seed = self.watch(seed);
        self.inner.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let seed = self.watch(seed);
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'a, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Watched<'a, A> {
    type Error = A::Error;
    type Variant = Watched<'a, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self::Variant), A::Error> {
        let ignored = self.ignored;
        let seed = self.watch(seed);
        let (value, variant) = self.inner.variant_seed(seed)?;
        Ok((value, Watched { inner: variant, ignored }))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Watched<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.watch(seed);
        self.inner.newtype_variant_seed(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let visitor = self.watch(visitor);
        self.inner.tuple_variant(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let visitor = self.watch(visitor);
        self.inner.struct_variant(fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    enum Finding {
        Knot { depth: u8 },
        Note(String),
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Region {
        name: String,
        found: Vec<Option<Finding>>,
    }

    fn read(text: &str) -> (Result<Region, String>, bool) {
        let ignored = Cell::new(false);
        let read = ron::Deserializer::from_str(text)
            .map_err(|error| error.to_string())
            .and_then(|mut deserializer| deserialize(&mut deserializer, &ignored).map_err(|e| e.to_string()));
        (read, ignored.get())
    }

    #[test]
    fn a_field_the_types_do_not_know_is_noticed_at_any_depth_and_nothing_else_changes() {
        let known = r#"(name: "trapezius", found: [Some(Knot(depth: 2)), None, Some(Note("tender"))])"#;
        let (value, ignored) = read(known);
        let plain: Result<Region, _> = ron::from_str(known);
        assert_eq!(value.as_ref().ok(), plain.as_ref().ok(), "the same value as without watching");
        assert!(!ignored);

        for unknown in [
            r#"(name: "trapezius", colour: "red", found: [])"#,
            r#"(name: "trapezius", found: [Some(Knot(depth: 2, size: 3))])"#,
        ] {
            let (value, ignored) = read(unknown);
            assert!(value.is_ok() && ignored, "{unknown}");
        }
        let (broken, _) = read(r#"(name: "trapezius", found: [Some(Knot(depth: "deep"))])"#);
        let mut plain =
            ron::Deserializer::from_str(r#"(name: "trapezius", found: [Some(Knot(depth: "deep"))])"#)
                .expect("a deserializer");
        let plain =
            <Region as serde::Deserialize>::deserialize(&mut plain).map_err(|error| error.to_string());
        assert_eq!(broken.err(), plain.err(), "and the same error");
    }
}
