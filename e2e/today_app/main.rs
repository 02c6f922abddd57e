//! Reads an order as JSON with serde 1.0.228 and serde_json, reports errors
//! through a thiserror 2 enum, and lists the fields with a syn 2 derive of
//! ours: today's crates, their macros WebAssembly modules.
use fields::Fields;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, PartialEq, Serialize, Deserialize, Fields)]
struct Order {
    item: String,
    count: u32,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Error)]
enum OrderError {
    #[error("bad order: {0}")]
    Json(#[from] serde_json::Error),
    #[error("count must be positive")]
    Zero,
}

fn parse(text: &str) -> Result<Order, OrderError> {
    let order: Order = serde_json::from_str(text)?;
    if order.count == 0 {
        return Err(OrderError::Zero);
    }
    Ok(order)
}

fn main() {
    let text = std::env::args().nth(1).unwrap_or_else(|| r#"{"item":"tea","count":2}"#.to_string());
    match parse(&text) {
        Ok(order) => println!(
            "{} x{}: {} (fields: {})",
            order.item,
            order.count,
            serde_json::to_string(&order).unwrap(),
            Order::fields().join(", ")
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

    #[test]
    fn serde_reads_and_writes() {
        let order = parse(r#"{"item":"tea","count":2,"note":"hot"}"#).unwrap();
        assert_eq!(order, Order { item: "tea".into(), count: 2, note: Some("hot".into()) });
        assert_eq!(serde_json::to_string(&order).unwrap(), r#"{"item":"tea","count":2,"note":"hot"}"#);
    }

    #[test]
    fn thiserror_messages() {
        assert_eq!(parse(r#"{"item":"tea","count":0}"#).unwrap_err().to_string(), "count must be positive");
        assert!(parse("{").unwrap_err().to_string().starts_with("bad order: EOF while parsing"));
    }

    #[test]
    fn fields_come_from_the_syn_2_macro() {
        assert_eq!(Order::fields(), &["item", "count", "note"]);
    }
}
