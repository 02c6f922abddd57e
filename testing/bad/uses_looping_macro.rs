looping_macro::never_returns!();
