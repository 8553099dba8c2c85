//! Knotmap: body-map session planning for massage therapists who treat back,
//! neck and shoulder pain.
//!
//! The modules, in the direction their dependencies point:
//! - [`model`]: the domain (clients, sessions, regions, scales); no files, no screen.
//! - [`storage`]: the practice folder and its RON files, versioned and saved atomically.
//! - [`sample`]: a realistic sample practice, for new users and benchmarks.
//! - [`check`]: reads every file of a practice and lists the problems.
//! - [`ui`]: the desktop app.

pub mod check;
pub mod geometry;
pub mod legend;
pub mod model;
pub mod sample;
pub mod storage;
pub mod ui;
