//! Knotmap: body-map session planning for massage therapists who treat back,
//! neck and shoulder pain.
//!
//! The modules, in the direction their dependencies point:
//! - [`model`]: the domain (clients, sessions, regions, scales, the lifecycle); no files, no screen.
//! - [`cores`]: work spread over every core, one way, for what a large practice makes slow.
//! - [`geometry`]: the body map's shapes (from `assets/body_map.ron`), hit-testing, meshes.
//! - [`legend`]: the map's colour scales and finding symbols, for the screen and the printer.
//! - [`figure`]: what a map shows, as a draw list in map space, for the screen and paper to paint.
//! - [`text`]: a line in the order it is seen (Arabic and Hebrew right to left), for both painters.
//! - [`storage`]: the practice folder and its RON files, versioned and saved atomically.
//! - [`safety`]: the health-flag and caution-zone rules, the warnings a plan gets, the gate.
//! - [`history`]: one client's series, changes, recurrence and figures, for screen and paper.
//! - [`workspace`]: what was read, what the user changed, what is derived; reloads land here.
//! - [`print`]: page layout, the plan sheet, take-home sheet and progress report as PDF, printers.
//! - [`sample`]: a realistic sample practice, for new users and benchmarks.
//! - [`check`]: reads every file of a practice and lists the problems.
//! - [`cli`]: the `knotmap` command's arguments, for the parser, the man page and the completions.
//! - [`ui`]: the desktop app.

pub mod check;
pub mod cli;
pub mod cores;
pub mod figure;
pub mod fonts;
pub mod geometry;
pub mod history;
pub mod legend;
pub mod model;
pub mod print;
pub mod safety;
pub mod sample;
pub mod storage;
pub mod text;
pub mod ui;
pub mod workspace;
