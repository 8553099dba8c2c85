//! The clients: the list to find one, and the open client's profile and sessions.

pub mod client_list;
pub mod client_profile;
