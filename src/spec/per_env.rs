use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, Visitor};

/// A value for every environment (`replicas = 2`) or per environment (`replicas = { prod = 3 }`).
#[derive(Debug, Clone, PartialEq)]
pub enum PerEnv<T> {
    All(T),
    ByEnv(IndexMap<String, T>),
}

impl<T> PerEnv<T> {
    /// The value for `env`, if this setting gives one.
    pub fn get(&self, env: &str) -> Option<&T> {
        match self {
            Self::All(value) => Some(value),
            Self::ByEnv(values) => values.get(env),
        }
    }

    /// The environment names a per-environment table mentions.
    pub fn env_names(&self) -> impl Iterator<Item = &str> {
        let names: Vec<&str> = match self {
            Self::All(_) => Vec::new(),
            Self::ByEnv(values) => values.keys().map(String::as_str).collect(),
        };
        names.into_iter()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PerEnv<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PerEnvVisitor(PhantomData))
    }
}

struct PerEnvVisitor<T>(PhantomData<T>);

impl<T> PerEnvVisitor<T> {
    fn all<'de, E, V>(value: V) -> Result<PerEnv<T>, E>
    where
        T: Deserialize<'de>,
        E: de::Error,
        V: IntoDeserializer<'de, E>,
    {
        T::deserialize(value.into_deserializer()).map(PerEnv::All)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PerEnvVisitor<T> {
    type Value = PerEnv<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, or a table of environment name to value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::all(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::all(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::all(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::all(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::all(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Self::all(v)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IndexMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(PerEnv::ByEnv)
    }
}

impl<T: JsonSchema> JsonSchema for PerEnv<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("PerEnv_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<T>();
        json_schema!({
            "description": "One value for every environment, or a table of environment name to value.",
            "anyOf": [
                value,
                { "type": "object", "additionalProperties": value, "propertyNames": { "examples": ["prod"] } }
            ]
        })
    }
}
