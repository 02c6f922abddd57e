pub fn version() -> u32 {
    2
}
