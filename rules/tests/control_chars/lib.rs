// A crate for the analysis tests of this package: its attributes are at
// fault, not its source.
