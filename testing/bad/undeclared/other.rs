pub fn other() -> u32 { 2 }
