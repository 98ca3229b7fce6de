pub fn x() {}

pub mod process_toml;
