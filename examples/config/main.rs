//! Reads `key=value` arguments into a struct with serde's derive, reports
//! errors through a thiserror enum, lists the fields with a syn/quote
//! derive macro of our own, and refuses empty ones with an attribute macro
//! of ours on proc-macro-error.
use field_names::FieldNames;
use non_empty::non_empty;
use serde::de::value::{Error as DeError, MapDeserializer};
use serde::Deserialize;
use thiserror::Error;

#[non_empty]
#[derive(Debug, Deserialize, FieldNames)]
struct Config {
    name: String,
    greeting: String,
    #[serde(default)]
    punctuation: Option<String>,
}

#[derive(Debug, Error)]
enum ConfigError {
    #[error("argument {0:?} is not key=value")]
    NotKeyValue(String),
    #[error("bad configuration: {0}")]
    Invalid(#[from] DeError),
    #[error("field {0} is empty")]
    Empty(&'static str),
}

fn parse(args: &[String]) -> Result<Config, ConfigError> {
    let mut pairs = Vec::new();
    for a in args {
        let (k, v) = a.split_once('=').ok_or_else(|| ConfigError::NotKeyValue(a.clone()))?;
        pairs.push((k.to_string(), v.to_string()));
    }
    let map = MapDeserializer::<_, DeError>::new(pairs.into_iter());
    let config = Config::deserialize(map)?;
    match config.empty_field() {
        Some(field) => Err(ConfigError::Empty(field)),
        None => Ok(config),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(c) => println!(
            "{}, {}{} (fields: {})",
            c.greeting,
            c.name,
            c.punctuation.as_deref().unwrap_or("!"),
            Config::field_names().join(", ")
        ),
        Err(e) => {
            eprintln!("error: {}", e);
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_fields_with_serde() {
        let c = parse(&strings(&["name=Ada", "greeting=Hi"])).unwrap();
        assert_eq!((c.name.as_str(), c.greeting.as_str(), c.punctuation), ("Ada", "Hi", None));
    }

    #[test]
    fn missing_field_is_a_thiserror_message() {
        let e = parse(&strings(&["name=Ada"])).unwrap_err();
        assert_eq!(e.to_string(), "bad configuration: missing field `greeting`");
    }

    #[test]
    fn empty_fields_are_found_by_the_proc_macro_error_macro() {
        let e = parse(&strings(&["name=", "greeting=Hi"])).unwrap_err();
        assert_eq!(e.to_string(), "field name is empty");
    }

    #[test]
    fn field_names_come_from_the_syn_macro() {
        assert_eq!(Config::field_names(), &["name", "greeting", "punctuation"]);
    }
}
