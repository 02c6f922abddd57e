//! A function-like macro that never returns.
use proc_macro::TokenStream;

#[proc_macro]
pub fn never_returns(_input: TokenStream) -> TokenStream {
    let mut n: u64 = 0;
    loop {
        // A volatile read: no optimizer may end the loop.
        n = unsafe { std::ptr::read_volatile(&n) }.wrapping_add(1);
    }
}
