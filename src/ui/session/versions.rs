//! Two versions of one session side by side: this one and the one another
//! laptop saved (or a conflict copy), their maps and where they differ, and a
//! choice per region of which to keep.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use egui::RichText;

use crate::figure::{DiffersValues, Figure, FigureView, LayerView, SessionValues};
use crate::geometry::BodyMap;
use crate::legend::FillMode;
use crate::model::{RegionId, Session, SessionId};
use crate::ui::app::command::Command;
use crate::ui::map::paint_figure;
use crate::ui::widgets::seen_text;
use crate::workspace::versions::{Part, Side, differing_parts, region_in_words};
use crate::workspace::{OpenClient, Resolution};

/// The window comparing two versions of a session.
#[derive(Debug)]
pub struct VersionsWindow {
    session: SessionId,
    /// The conflict copy being compared, or `None` for another laptop's save.
    copy: Option<PathBuf>,
    this: Session,
    other: Session,
    /// What the other version is, in words: "Saved on another laptop at 10:04".
    other_label: String,
    parts: Vec<Part>,
    choices: BTreeMap<Part, Side>,
}

impl VersionsWindow {
    pub fn new(
        session: SessionId,
        copy: Option<PathBuf>,
        this: Session,
        other: Session,
        other_label: String,
    ) -> Self {
        let parts = differing_parts(&this, &other);
        VersionsWindow { session, copy, this, other, other_label, parts, choices: BTreeMap::new() }
    }

    fn title(&self) -> String {
        format!("Two versions of the session of {}", self.this.starts_at.strftime("%-d %b %Y"))
    }

    /// Draws the window; returns what the user chose, if anything, and whether
    /// the window is still open.
    pub fn ui(&mut self, ctx: &egui::Context) -> (Option<Command>, bool) {
        let mut command = None;
        let mut open = true;
        let locked = self.this.is_locked() || self.other.is_locked();
        let shown = crate::ui::widgets::window::show(
            egui::Window::new(self.title())
                .id(egui::Id::unique("two_versions"))
                .open(&mut open)
                .default_width(900.0)
                .max_width(ctx.content_rect().width() - 40.0)
                .collapsible(false),
            ctx,
            |ui| {
                ui.label(if self.parts.is_empty() {
                    "The two versions are the same.".to_owned()
                } else if locked {
                    "This is a completed record: keep one version whole. The other goes to the trash, from \
                     where it can be restored."
                        .to_owned()
                } else {
                    "Choose, for each part that differs, which version to keep. What is not kept goes to the \
                     trash, from where it can be restored."
                        .to_owned()
                });
                self.maps(ui);
                ui.add_space(6.0);
                if !locked {
                    self.part_choices(ui);
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    let session = self.session.clone();
                    let copy = self.copy.clone();
                    let resolve = |resolution| Command::Resolve {
                        session: session.clone(),
                        copy: copy.clone(),
                        resolution,
                    };
                    let whole =
                        |side| self.parts.iter().map(|part| (*part, side)).collect::<BTreeMap<_, _>>();
                    if ui.button("Keep this version").clicked() {
                        command = Some(resolve(Resolution::Merge(whole(Side::This))));
                    }
                    if ui.button("Keep the other version").clicked() {
                        command = Some(resolve(Resolution::Merge(whole(Side::Other))));
                    }
                    if !locked
                        && ui
                            .button("Keep the parts chosen")
                            .on_hover_text("One session with each part from the version chosen above")
                            .clicked()
                    {
                        command = Some(resolve(Resolution::Merge(self.choices.clone())));
                    }
                    if self.copy.is_none() {
                        if ui
                            .button("Keep both")
                            .on_hover_text(
                                "Yours in the session; the other laptop's beside it as a second version",
                            )
                            .clicked()
                        {
                            command = Some(resolve(Resolution::KeepBoth));
                        }
                    } else if ui.button("Decide later").clicked() {
                        command = Some(resolve(Resolution::KeepBoth));
                    }
                });
            },
        );
        let escaped = crate::ui::widgets::escape::closes(ctx, &shown);
        (command, open && !escaped)
    }

    fn maps(&self, ui: &mut egui::Ui) {
        let Ok(map) = BodyMap::standard() else { return };
        let differing: BTreeSet<RegionId> = self
            .parts
            .iter()
            .filter_map(|part| match part {
                Part::Region(region) => Some(*region),
                Part::Details => None,
            })
            .collect();
        let layers =
            LayerView::showing(self.this.regions.iter().chain(&self.other.regions).map(|work| work.region));
        let none = BTreeSet::new();
        let view = FigureView { layers, caution_zones: false, warned: &none, marks: &[] };
        let mode = FillMode::Tension;
        let figures = [
            (
                "This version".to_owned(),
                Figure::build(map, &SessionValues { session: &self.this, mode }, &view),
            ),
            (
                self.other_label.clone(),
                Figure::build(map, &SessionValues { session: &self.other, mode }, &view),
            ),
            (
                "Where they differ".to_owned(),
                Figure::build(map, &DiffersValues { differing: &differing }, &view),
            ),
        ];
        let width = ((ui.available_width() - 24.0) / 3.0).clamp(140.0, 280.0);
        let size = egui::vec2(width, width * 1.15);
        ui.horizontal_top(|ui| {
            for (caption, figure) in &figures {
                ui.vertical(|ui| {
                    ui.set_width(size.x);
                    ui.label(RichText::new(caption).strong());
                    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                    paint_figure(ui, rect, figure, true);
                });
            }
        });
    }

    fn part_choices(&mut self, ui: &mut egui::Ui) {
        egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
            egui::Grid::new("version_parts").striped(true).num_columns(3).show(ui, |ui| {
                ui.strong("Part");
                ui.strong("This version");
                ui.strong(&self.other_label);
                ui.end_row();
                for part in &self.parts {
                    let (this_words, other_words) = match part {
                        Part::Details => (
                            details_in_words(&self.this, &self.other),
                            details_in_words(&self.other, &self.this),
                        ),
                        Part::Region(region) => {
                            (region_in_words(&self.this, *region), region_in_words(&self.other, *region))
                        }
                    };
                    let name = part.in_words();
                    let choice = self.choices.entry(*part).or_default();
                    crate::ui::widgets::seen_text::label(ui, &name);
                    let this_name = format!("{name}: keep this version's, {this_words}");
                    let other_name = format!("{name}: keep the other version's, {other_words}");
                    let (this_shown, other_shown) =
                        (seen_text::widget_text(ui, &this_words), seen_text::widget_text(ui, &other_words));
                    ui.radio_value(choice, Side::This, this_shown).accessible_name(this_name);
                    ui.radio_value(choice, Side::Other, other_shown).accessible_name(other_name);
                    ui.end_row();
                }
            });
        });
    }
}

/// The details of a version in a few words: its status and goals, the goals
/// shown from where they differ from `other`'s (two long goals that differ only
/// at their end would read the same when cut).
fn details_in_words(session: &Session, other: &Session) -> String {
    let goals = goals_excerpt(session.goals.trim(), other.goals.trim());
    match goals.is_empty() {
        true => format!("{}, no goals written", session.status.word()),
        false => format!("{}, goals: {goals}", session.status.word()),
    }
}

/// About 32 characters of `goals`: from the start, or from a little before
/// the first character where they part from `other`'s, with "…" where cut.
fn goals_excerpt(goals: &str, other: &str) -> String {
    const ROOM: usize = 32;
    let chars: Vec<char> = goals.chars().collect();
    let parts_at = chars.iter().zip(other.chars()).take_while(|(a, b)| *a == b).count();
    let start = if parts_at >= ROOM { parts_at.saturating_sub(8) } else { 0 };
    let mut excerpt: String = chars[start..].iter().take(ROOM).collect();
    if start > 0 {
        excerpt.insert(0, '…');
    }
    if chars.len() > start + ROOM {
        excerpt.push('…');
    }
    excerpt
}

/// The day a session was first planned for, from its ID ("2026-11-26-0930-k3f9q"),
/// for a session only its copies still have; else its ID.
fn planned_day(id: &SessionId) -> String {
    id.as_str()
        .get(..10)
        .and_then(|day| day.parse::<jiff::civil::Date>().ok())
        .map_or_else(|| id.as_str().to_owned(), |day| day.strftime("%-d %b").to_string())
}

/// "2 versions of the session of 26 Nov", with a button to compare, for each
/// session of the open client that has a second version.
pub fn versions_list(ui: &mut egui::Ui, open: &OpenClient) -> Vec<Command> {
    let mut commands = Vec::new();
    let waiting: Vec<(&SessionId, Option<&PathBuf>, usize)> = open
        .other_versions()
        .map(|(id, _)| (id, None, 2))
        .chain(
            open.conflict_copies()
                .iter()
                .filter_map(|(id, copies)| copies.first().map(|first| (id, Some(first), copies.len() + 1))),
        )
        .collect();
    for (id, copy, count) in waiting {
        let day = open
            .session(id)
            .map(|session| session.starts_at.strftime("%-d %b").to_string())
            .unwrap_or_else(|| planned_day(id));
        ui.horizontal(|ui| {
            ui.colored_label(ui.visuals().warn_fg_color, format!("{count} versions of the session of {day}"));
            if ui
                .button("Compare…")
                .on_hover_text("See both side by side and keep what is right")
                .accessible_name(format!("Compare the {count} versions of the session of {day}"))
                .clicked()
            {
                commands.push(Command::CompareVersions { session: id.clone(), copy: copy.cloned() });
            }
        });
    }
    commands
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_long_goals_that_differ_at_their_end_are_shown_where_they_differ() {
        let ours = "Hang from the fingerboard for a full set without my shoulder giving out";
        let theirs = "Hang from the fingerboard for a full set without my elbow giving out";
        let (a, b) = (super::goals_excerpt(ours, theirs), super::goals_excerpt(theirs, ours));
        assert_ne!(a, b, "{a} / {b}");
        assert!(a.contains("shoulder") && b.contains("elbow"), "{a} / {b}");
        assert_eq!(super::goals_excerpt("Sleep through", "Sleep through the night"), "Sleep through");
    }

    #[test]
    fn a_session_known_only_by_its_copies_is_named_by_the_day_its_id_gives() {
        let id = crate::model::SessionId::new("2026-11-26-0930-k3f9q").expect("id");
        assert_eq!(super::planned_day(&id), "26 Nov");
        let odd = crate::model::SessionId::new("imported-plan").expect("id");
        assert_eq!(super::planned_day(&odd), "imported-plan");
    }
}
