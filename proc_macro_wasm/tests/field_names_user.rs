//! Native code using the FieldNames derive (syn + quote in WebAssembly).
use field_names::FieldNames;

#[derive(FieldNames)]
#[allow(dead_code)]
struct Config {
    name: String,
    greeting: String,
    #[doc = "an attribute the derive must skip"]
    punctuation: Option<String>,
}

fn main() {
    assert_eq!(Config::field_names(), ["name", "greeting", "punctuation"]);
    println!("field_names_user: ok {:?}", Config::field_names());
}
