//! Every story and check of the app but two, in one test program: one link of
//! the app instead of one per file keeps a cold build quick and its disk use
//! small. `end_signals` and `strict_files` have programs of their own, because
//! they change what belongs to the whole process (its signal handlers, its
//! working folder).

mod printed;
mod stories;

mod app_story;
mod audit_trail;
mod clinic_rules;
mod clinic_rules_story;
mod command_line;
mod consent_story;
mod desktop_integration;
mod faults_story;
mod geometry;
mod history_story;
mod keyboard_story;
mod lifecycle_model;
mod lifecycle_story;
mod map_snapshots;
mod one_page_story;
mod packaging;
mod plan_file;
mod planning_story;
mod print_portal;
mod print_snapshots;
mod print_story;
mod printing;
mod readme_examples;
mod real_window;
mod safety;
mod several_laptops;
mod small_disk_story;
mod soak;
mod storage;
mod trust_story;
mod window_story;
mod working_day_story;
