pub fn util_version() -> u32 {
    util::version()
}
