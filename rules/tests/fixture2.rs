// A second source, to make the crate root ambiguous.
