mod helper;
pub fn value() -> u32 { helper::VALUE }
