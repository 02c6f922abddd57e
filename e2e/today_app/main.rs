//! Takes an order: today's crates, every macro of them a WebAssembly module.
//! - clap 4.6 (derive, `#[command(version, about)]`) reads the arguments;
//! - serde 1.0.228 and serde_json read the order as JSON;
//! - thiserror 2 names what went wrong;
//! - strum 0.27 parses and prints the size, derive_more 2 the price;
//! - async-trait prices it, rustversion says which rustc built it;
//! - `#[derive(Fields)]`, ours on syn 2 and proc-macro-error2, lists the
//!   fields.
use async_trait::async_trait;
use clap::Parser;
use derive_more::{Constructor, Display, From};
use fields::Fields;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoEnumIterator};
use thiserror::Error;

/// Takes an order, given as JSON.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// The order, such as {"item":"tea","count":2}.
    #[arg(default_value = r#"{"item":"tea","count":2}"#)]
    order: String,
    /// The cup size.
    #[arg(long, default_value = "small")]
    size: Size,
}

#[derive(Debug, PartialEq, Serialize, Deserialize, Fields)]
struct Order {
    item: String,
    count: u32,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, EnumString, strum::Display, EnumIter)]
#[strum(serialize_all = "lowercase")]
enum Size {
    Small,
    Large,
}

#[derive(Debug, PartialEq, Display, From, Constructor)]
#[display("{cents} cents")]
struct Price {
    cents: u32,
}

#[derive(Debug, Error)]
enum OrderError {
    #[error("bad order: {0}")]
    Json(#[from] serde_json::Error),
    #[error("count must be positive")]
    Zero,
}

#[async_trait]
trait Pricing {
    async fn price(&self, order: &Order, size: Size) -> Price;
}

struct Menu;

#[async_trait]
impl Pricing for Menu {
    async fn price(&self, order: &Order, size: Size) -> Price {
        let each = match size {
            Size::Small => 120,
            Size::Large => 180,
        };
        Price::new(each * order.count)
    }
}

/// Runs a future that never waits (Menu's prices are at hand).
fn now<T>(future: impl std::future::Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => unreachable!("Menu never waits"),
    }
}

#[rustversion::since(1.85)]
const BUILT_WITH: &str = "rustc 1.85 or newer";
#[rustversion::before(1.85)]
const BUILT_WITH: &str = "a rustc older than 1.85";

fn parse(text: &str) -> Result<Order, OrderError> {
    let order: Order = serde_json::from_str(text)?;
    if order.count == 0 {
        return Err(OrderError::Zero);
    }
    Ok(order)
}

fn main() {
    let args = Args::parse();
    match parse(&args.order) {
        Ok(order) => {
            let price = now(Menu.price(&order, args.size));
            println!(
                "{} x{} ({}): {} (fields: {}); {}; sizes: {}; built with {}",
                order.item,
                order.count,
                args.size,
                serde_json::to_string(&order).unwrap(),
                Order::fields().join(", "),
                price,
                Size::iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
                BUILT_WITH,
            )
        }
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

    #[test]
    fn strum_and_derive_more() {
        assert_eq!("large".parse::<Size>().unwrap(), Size::Large);
        assert!("huge".parse::<Size>().is_err());
        assert_eq!(Price::from(5).to_string(), "5 cents");
    }

    #[test]
    fn async_trait_prices() {
        let order = parse(r#"{"item":"tea","count":3}"#).unwrap();
        assert_eq!(now(Menu.price(&order, Size::Large)), Price::new(540));
    }

    #[test]
    fn clap_reads_arguments() {
        let args = Args::try_parse_from(["orders", "--size", "large", r#"{"item":"milk","count":1}"#]).unwrap();
        assert_eq!((args.size, args.order.as_str()), (Size::Large, r#"{"item":"milk","count":1}"#));
        assert!(Args::try_parse_from(["orders", "--size", "huge"]).is_err());
    }

    #[test]
    fn built_with_a_new_rustc() {
        assert_eq!(BUILT_WITH, "rustc 1.85 or newer");
    }
}
