//! derive_more and strum from crates.io, and a derive of ours, all
//! WebAssembly proc macros.
use derive_more::{Add, Display, From};
use std::str::FromStr;
use strum::{AsRefStr, EnumIter, EnumString, IntoEnumIterator};

#[derive(Debug, Clone, Copy, PartialEq, Add, From, Display)]
#[display(fmt = "{} m", _0)]
struct Meters(u32);

#[derive(Debug, PartialEq, EnumString, AsRefStr, EnumIter)]
enum Color {
    #[strum(serialize = "r", serialize = "red")]
    Red,
    Green,
    #[strum(serialize = "b")]
    Blue,
}

#[derive(named::Named)]
#[named("the inventory")]
struct Inventory;

#[derive(named::Named)]
struct Shelf<T>(T);

fn main() {
    println!("total: {}", Meters(3) + Meters::from(4));
    let colors: Vec<String> = Color::iter().map(|c| c.as_ref().to_string()).collect();
    println!("colors: {}", colors.join(", "));
    println!("parsed: {:?} {:?}", Color::from_str("red"), Color::from_str("purple").is_err());
    println!("names: {}, {}", Inventory::name(), Shelf::<u8>::name());
}
