// Cargo wants a target; nothing builds this one.
