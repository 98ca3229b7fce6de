pub fn x() {}

pub mod deu;
pub mod ktab;
