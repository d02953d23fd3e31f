//! Callback security: the official vectors of reference §17, every negative case, and the
//! receiver of each surface end to end (query string and body in, typed message and sealed
//! reply out).

mod negative;
mod official_vectors;
mod receiver;
mod secrets;
mod vectors;
