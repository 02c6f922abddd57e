//! Our side of the comparison, natively: `ours SOURCE PREFIX...` lexes each
//! SOURCE with our proc_macro and writes `PREFIX.ours` (`to_string`) and
//! `PREFIX.ourtrees` (the trees, in `dump.rs`'s format).
use proc_macro::{Delimiter, Spacing, TokenStream, TokenTree};

include!("trees.rs");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let source = std::fs::read_to_string(&pair[0]).unwrap();
        let (printed, text) = match source.parse::<TokenStream>() {
            Ok(stream) => (stream.to_string(), trees_text(stream)),
            Err(e) => (format!("error: {:?}", e), String::new()),
        };
        std::fs::write(format!("{}.ours", pair[1]), printed).unwrap();
        std::fs::write(format!("{}.ourtrees", pair[1]), text).unwrap();
    }
}
