//! Nothing: the test only resolves this package.
