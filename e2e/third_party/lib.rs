// Cargo wants a target; Bazel never builds this one.
