//! The manifest's own crate, which Cargo requires; Bazel does not build it.
