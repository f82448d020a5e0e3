mod analyzer;
mod extract;
mod search;
