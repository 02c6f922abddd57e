// An empty crate for analysis-test fixtures.
