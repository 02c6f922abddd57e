pub const VALUE: u32 = 3;
