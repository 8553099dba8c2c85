//! The editor of the regions selected on the body map, shown beside it: what was
//! found there (tension, pain, findings) and what is planned (pressure,
//! techniques, minutes, notes).
//!
//! Every value is set with a click on a large button, so oily hands never need
//! the keyboard; each value can be cleared again. With several regions selected
//! a click gives the value to all of them, and a value shows as chosen only where
//! they all agree ("mixed" otherwise). Setting a value on a region that has no
//! entry yet adds one at the end of the order of work, which is the plan's order.
//!
//! The pressure buttons show the client's pressure caps, but do not enforce them:
//! the therapist may plan above a cap, and the safety checks warn about it and
//! ask for the written reason elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use egui::{Atom, Button, DragValue, IdSalt, Painter, Rect, Response, RichText, Stroke, Vec2, vec2};

use crate::model::{
    FindingKind, Layer, Minutes, Pain, PracticeSettings, Pressure, RegionId, RegionWork, Session, Technique,
    Tension,
};

/// The smallest side of anything clickable: big enough for oily hands.
const MIN_TARGET: f32 = 28.0;
/// The side of a finding's symbol on its toggle.
const SYMBOL_SIZE: f32 = 18.0;
/// The one-click lengths offered for a region's work; others are dragged or typed.
const MINUTE_CHOICES: [u16; 4] = [5, 10, 15, 20];
/// The hint shown while no region is selected.
const NOTHING_SELECTED: &str = "Select a region on the map to see and set its tension, pain, pressure and \
                                plan. Shift-click adds more; F6 reaches the map from the keyboard.";
/// What happens when the plan goes past a cap, said wherever it can.
const PAST_THE_CAP: &str = "the plan will warn and ask for a reason.";
/// How many names of a multiple selection are listed before "and N more".
const NAMES_LISTED: usize = 6;

/// The highest pressure the client's health flags allow on a region, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PressureCap {
    pub max: Pressure,
    /// The reason in a few words, e.g. "blood thinners".
    pub why: String,
}

impl PressureCap {
    /// "Cap 3 (medium): blood thinners".
    fn describe(&self) -> String {
        format!("Cap {} ({}): {}", self.max, self.max.word(), self.why)
    }
}

/// What the rules and the client's history say beside each region.
#[derive(Clone, Debug, Default)]
pub struct RegionAdvice {
    /// The pressure caps of the client's health flags and the caution zones.
    pub caps: BTreeMap<RegionId, PressureCap>,
    /// For regions that border a caution zone, what to keep off (no reason needed).
    pub caution_notes: std::sync::Arc<BTreeMap<RegionId, Vec<String>>>,
    /// What the last session recorded there: "last: tension 2, pain 6 (26 Nov)".
    pub last_time: BTreeMap<RegionId, String>,
}

/// The techniques a practice offers: the standard ones, then the clinic's own.
pub fn offered_techniques(settings: &PracticeSettings) -> Vec<Technique> {
    Technique::STANDARD
        .into_iter()
        .chain(settings.extra_techniques.iter().map(|name| Technique::Clinic(name.clone())))
        .collect()
}

/// Shows the values of the regions in `selection` and lets the therapist set
/// them; `techniques` are the techniques offered (see [`offered_techniques`]),
/// `advice` the caps, caution notes and last time's values. With `read_only`
/// everything is shown and nothing can be changed.
///
/// Returns whether `session` was changed.
pub fn region_editor(
    ui: &mut egui::Ui,
    session: &mut Session,
    selection: &BTreeSet<RegionId>,
    techniques: &[Technique],
    advice: &RegionAdvice,
    read_only: bool,
) -> bool {
    let regions: Vec<RegionId> = selection.iter().copied().collect();
    if regions.is_empty() {
        ui.weak(NOTHING_SELECTED);
        return false;
    }
    let edit = ui
        .push_id("region_editor", |ui| {
            ui.spacing_mut().item_spacing = vec2(6.0, 6.0);
            let selected = Selected { session, regions: &regions, caps: &advice.caps };
            heading(ui, &selected);
            if let [region] = regions.as_slice() {
                beside_the_region(ui, *region, advice);
            }
            ui.add_enabled_ui(!read_only, |ui| {
                // Every section is drawn; at most one of them is clicked in a frame.
                let edits = [
                    tension_section(ui, &selected),
                    pain_section(ui, &selected),
                    findings_section(ui, &selected),
                    pressure_section(ui, &selected),
                    techniques_section(ui, &selected, techniques),
                    minutes_section(ui, &selected),
                    notes_section(ui, &selected),
                ];
                edits.into_iter().flatten().next()
            })
            .inner
        })
        .inner;
    match edit {
        Some(edit) if !read_only => edit.apply(session, &regions),
        _ => false,
    }
}

/// The selected regions of the session, read while drawing.
struct Selected<'a> {
    session: &'a Session,
    /// In catalogue order; never empty.
    regions: &'a [RegionId],
    caps: &'a BTreeMap<RegionId, PressureCap>,
}

impl Selected<'_> {
    fn entries(&self) -> impl Iterator<Item = Option<&RegionWork>> {
        self.regions.iter().map(|&region| self.session.region(region))
    }

    /// The value all the selected regions share, or `Mixed`.
    fn shared<T: PartialEq>(&self, value_of: impl Fn(Option<&RegionWork>) -> T) -> Shared<T> {
        let mut values = self.entries().map(value_of);
        let Some(first) = values.next() else { return Shared::Mixed };
        if values.all(|value| value == first) { Shared::Same(first) } else { Shared::Mixed }
    }

    /// How many of the selected regions `has` holds for.
    fn count(&self, has: impl Fn(Option<&RegionWork>) -> bool) -> usize {
        self.entries().filter(|&work| has(work)).count()
    }

    fn is_single(&self) -> bool {
        self.regions.len() == 1
    }
}

/// What the selected regions hold for one value.
#[derive(Clone, Debug, PartialEq)]
enum Shared<T> {
    /// All of them hold this.
    Same(T),
    /// They differ.
    Mixed,
}

impl<T> Shared<Option<T>> {
    /// The header's words for the value: "moderate", "not set" or "mixed".
    fn describe(&self, words: impl Fn(&T) -> String) -> String {
        match self {
            Shared::Same(Some(value)) => words(value),
            Shared::Same(None) => "not set".to_owned(),
            Shared::Mixed => "mixed".to_owned(),
        }
    }

    /// Whether any selected region has a value to clear.
    fn any_set(&self) -> bool {
        !matches!(self, Shared::Same(None))
    }
}

impl<T: PartialEq> Shared<Option<T>> {
    fn is(&self, value: &T) -> bool {
        matches!(self, Shared::Same(Some(shared)) if shared == value)
    }
}

/// One change the therapist asked for, given to every selected region.
#[derive(Clone, Debug, PartialEq)]
enum Edit {
    Tension(Option<Tension>),
    Pain(Option<Pain>),
    Pressure(Option<Pressure>),
    /// Add (`true`) or remove a finding.
    Finding(FindingKind, bool),
    /// Add (`true`) or remove a technique.
    Technique(Technique, bool),
    Minutes(Option<Minutes>),
    Notes(String),
}

impl Edit {
    /// Whether the edit gives a value rather than only taking one away: only then
    /// does a region without an entry get one.
    fn gives_a_value(&self) -> bool {
        match self {
            Edit::Tension(value) => value.is_some(),
            Edit::Pain(value) => value.is_some(),
            Edit::Pressure(value) => value.is_some(),
            Edit::Minutes(value) => value.is_some(),
            Edit::Finding(_, add) | Edit::Technique(_, add) => *add,
            Edit::Notes(text) => !text.is_empty(),
        }
    }

    /// Applies the edit to every region of `regions`; returns whether anything changed.
    fn apply(&self, session: &mut Session, regions: &[RegionId]) -> bool {
        let mut changed = false;
        for &region in regions {
            if session.region(region).is_none() && !self.gives_a_value() {
                continue;
            }
            changed |= self.apply_to(session.region_mut(region));
        }
        changed
    }

    fn apply_to(&self, work: &mut RegionWork) -> bool {
        match self {
            Edit::Tension(value) => replace(&mut work.tension, *value),
            Edit::Pain(value) => replace(&mut work.pain, *value),
            Edit::Pressure(value) => replace(&mut work.pressure, *value),
            Edit::Minutes(value) => replace(&mut work.minutes, *value),
            Edit::Notes(text) => replace(&mut work.notes, text.clone()),
            Edit::Finding(kind, add) => toggle(&mut work.findings, kind, *add),
            Edit::Technique(technique, add) => toggle(&mut work.techniques, technique, *add),
        }
    }
}

fn replace<T: PartialEq>(slot: &mut T, value: T) -> bool {
    if *slot == value {
        return false;
    }
    *slot = value;
    true
}

/// Adds `item` to `list` if missing, or removes it; returns whether the list changed.
fn toggle<T: PartialEq + Clone>(list: &mut Vec<T>, item: &T, add: bool) -> bool {
    let had = list.contains(item);
    if add && !had {
        list.push(item.clone());
    } else if !add && had {
        list.retain(|other| other != item);
    }
    had != add
}

// --- The sections, top to bottom -------------------------------------------------

fn heading(ui: &mut egui::Ui, selected: &Selected<'_>) {
    if let [region] = selected.regions {
        let info = region.info();
        // Not the map's accessible name ("Upper trapezius, client's left"), so
        // that a screen reader and the tests tell the heading from the region.
        ui.label(RichText::new(format!("{} · {}", info.name, info.side.phrase())).strong().size(16.0));
        let mut about = Vec::new();
        if info.label != info.name {
            about.push(info.label.to_owned());
        }
        if info.layer == Layer::Deep {
            about.push("Deep layer".to_owned());
        }
        match selected.session.regions.iter().position(|work| work.region == *region) {
            Some(index) => about.push(format!("Step {} of the plan", index + 1)),
            None => about.push("Not in the plan yet; any value adds it".to_owned()),
        }
        ui.weak(about.join(" · "));
    } else {
        let count = selected.regions.len();
        ui.label(RichText::new(format!("{count} regions selected")).strong().size(16.0));
        let mut names: Vec<String> = selected
            .regions
            .iter()
            .take(NAMES_LISTED)
            .map(|region| {
                let info = region.info();
                format!("{} ({})", info.name, info.side.phrase())
            })
            .collect();
        if count > NAMES_LISTED {
            names.push(format!("and {} more", count - NAMES_LISTED));
        }
        ui.weak(names.join("; "));
        ui.weak("A value chosen here is given to all of them.");
    }
    ui.add_space(4.0);
}

/// Last time's values and the caution notes of one region, under its heading.
fn beside_the_region(ui: &mut egui::Ui, region: RegionId, advice: &RegionAdvice) {
    if let Some(last) = advice.last_time.get(&region) {
        ui.label(RichText::new(last).italics());
    }
    for note in advice.caution_notes.get(&region).into_iter().flatten() {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Caution note: {note}"));
    }
}

fn tension_section(ui: &mut egui::Ui, selected: &Selected<'_>) -> Option<Edit> {
    let current = selected.shared(|work| work.and_then(|work| work.tension));
    section_title(ui, "Tension", &current.describe(|tension| tension.word().to_owned()));
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        for tension in Tension::all() {
            let word = tension.word();
            if value_button(ui, current.is(&tension), RichText::new(format!("{tension} {word}")))
                .accessible_name(format!("Tension {word}"))
                .clicked()
            {
                edit = Some(Edit::Tension(Some(tension)));
            }
        }
        if clear_button(ui, "tension", current.any_set()) {
            edit = Some(Edit::Tension(None));
        }
    });
    edit
}

fn pain_section(ui: &mut egui::Ui, selected: &Selected<'_>) -> Option<Edit> {
    let current = selected.shared(|work| work.and_then(|work| work.pain));
    section_title(ui, "Pain", &current.describe(|pain| format!("{pain}/10")));
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        for pain in Pain::all() {
            if value_button(ui, current.is(&pain), RichText::new(pain.to_string()))
                .accessible_name(format!("Pain {pain}"))
                .on_hover_text(format!("Pain {pain} out of 10, as the client reports it"))
                .clicked()
            {
                edit = Some(Edit::Pain(Some(pain)));
            }
        }
        if clear_button(ui, "pain", current.any_set()) {
            edit = Some(Edit::Pain(None));
        }
    });
    edit
}

fn findings_section(ui: &mut egui::Ui, selected: &Selected<'_>) -> Option<Edit> {
    section_title(ui, "Findings", "");
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        for kind in FindingKind::ALL {
            let having = selected.count(|work| work.is_some_and(|work| work.findings.contains(&kind)));
            let all = having == selected.regions.len();
            let text = toggle_text(kind.label(), having, selected.regions.len());
            let response = finding_toggle(ui, kind, all, text);
            mark_mixed(ui, &response, having, selected.regions.len());
            if response.clicked() {
                // A click on a finding some regions lack gives it to all of them.
                edit = Some(Edit::Finding(kind, !all));
            }
        }
    });
    edit
}

fn pressure_section(ui: &mut egui::Ui, selected: &Selected<'_>) -> Option<Edit> {
    let current = selected.shared(|work| work.and_then(|work| work.pressure));
    section_title(ui, "Planned pressure", &current.describe(|p| format!("{p} {}", p.word())));
    // Above the lowest cap of the selection is above the cap of at least one region.
    let lowest_cap =
        selected.regions.iter().filter_map(|region| selected.caps.get(region)).min_by_key(|cap| cap.max);
    let warn = ui.visuals().warn_fg_color;
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        for pressure in Pressure::all() {
            let name = format!("Pressure {pressure} {}", pressure.word());
            let text = RichText::new(format!("{pressure} {}", pressure.word()));
            let over_cap = lowest_cap.filter(|cap| pressure > cap.max);
            let response = match over_cap {
                Some(cap) => {
                    let button = Button::new(text.color(warn))
                        .selected(current.is(&pressure))
                        .stroke(Stroke::new(1.0, warn))
                        .min_size(Vec2::splat(MIN_TARGET));
                    ui.add(button).on_hover_text(format!(
                        "Above the cap. {}. You can still plan it: {PAST_THE_CAP}",
                        cap.describe()
                    ))
                }
                None => value_button(ui, current.is(&pressure), text),
            };
            if response.accessible_name(name).clicked() {
                edit = Some(Edit::Pressure(Some(pressure)));
            }
        }
        if clear_button(ui, "pressure", current.any_set()) {
            edit = Some(Edit::Pressure(None));
        }
    });
    caps_text(ui, selected);
    edit
}

/// The caps in force on the selection, and a warning where the plan goes past one.
fn caps_text(ui: &mut egui::Ui, selected: &Selected<'_>) {
    let mut caps: Vec<(&PressureCap, usize)> = Vec::new();
    for cap in selected.regions.iter().filter_map(|region| selected.caps.get(region)) {
        match caps.iter_mut().find(|(known, _)| *known == cap) {
            Some((_, count)) => *count += 1,
            None => caps.push((cap, 1)),
        }
    }
    caps.sort_by_key(|(cap, _)| cap.max);
    let total = selected.regions.len();
    for (cap, count) in caps {
        let text = if count == total {
            cap.describe()
        } else {
            format!("Cap {} ({}) on {count} of {total} regions: {}", cap.max, cap.max.word(), cap.why)
        };
        crate::ui::widgets::seen_text::label(ui, text);
    }
    let over = selected
        .regions
        .iter()
        .filter(|&&region| {
            let planned = selected.session.region(region).and_then(|work| work.pressure);
            let cap = selected.caps.get(&region).map(|cap| cap.max);
            matches!((planned, cap), (Some(planned), Some(cap)) if planned > cap)
        })
        .count();
    if over > 0 {
        let text = if selected.is_single() {
            format!("The planned pressure is above the cap: {PAST_THE_CAP}")
        } else {
            format!("{over} of {total} regions are planned above their cap: {PAST_THE_CAP}")
        };
        ui.colored_label(ui.visuals().warn_fg_color, text);
    }
}

fn techniques_section(ui: &mut egui::Ui, selected: &Selected<'_>, offered: &[Technique]) -> Option<Edit> {
    section_title(ui, "Techniques", "");
    // A technique no longer offered (a clinic's own, since removed) still shows
    // where a selected region has it, so that it can be taken off.
    let mut shown: Vec<&Technique> = offered.iter().collect();
    for work in selected.entries().flatten() {
        for technique in &work.techniques {
            if !shown.contains(&technique) {
                shown.push(technique);
            }
        }
    }
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        for technique in shown {
            let having = selected.count(|work| work.is_some_and(|work| work.techniques.contains(technique)));
            let all = having == selected.regions.len();
            let text = toggle_text(technique.label(), having, selected.regions.len());
            let response = value_button(ui, all, RichText::new(text)).accessible_name(technique.label());
            mark_mixed(ui, &response, having, selected.regions.len());
            if response.clicked() {
                edit = Some(Edit::Technique(technique.clone(), !all));
            }
        }
    });
    edit
}

fn minutes_section(ui: &mut egui::Ui, selected: &Selected<'_>) -> Option<Edit> {
    let current = selected.shared(|work| work.and_then(|work| work.minutes));
    section_title(ui, "Minutes", &current.describe(|minutes| format!("{minutes} min")));
    let mut edit = None;
    ui.horizontal_wrapped(|ui| {
        for minutes in MINUTE_CHOICES.into_iter().filter_map(|m| Minutes::new(i64::from(m)).ok()) {
            if value_button(ui, current.is(&minutes), RichText::new(format!("{minutes} min")))
                .accessible_name(format!("Minutes {minutes}"))
                .clicked()
            {
                edit = Some(Edit::Minutes(Some(minutes)));
            }
        }
        let mut value = match current {
            Shared::Same(Some(minutes)) => minutes.get(),
            _ => 0,
        };
        let drag = DragValue::new(&mut value)
            .range(Minutes::MIN.get()..=Minutes::MAX.get())
            .speed(0.25)
            .min_size(vec2(56.0, MIN_TARGET));
        // No number stands for "not set" or "mixed": 0 is a value of its own.
        let drag = match &current {
            Shared::Same(Some(_)) => drag.suffix(" min"),
            Shared::Same(None) => drag.custom_formatter(|_, _| "–".to_owned()),
            Shared::Mixed => drag.custom_formatter(|_, _| "mixed".to_owned()),
        };
        let response = ui
            .add(drag)
            .accessible_name("Region minutes")
            .on_hover_text("Drag, or click and type, for another length");
        if response.changed()
            && let Ok(minutes) = Minutes::new(i64::from(value))
        {
            edit = Some(Edit::Minutes(Some(minutes)));
        }
        if clear_button(ui, "minutes", current.any_set()) {
            edit = Some(Edit::Minutes(None));
        }
    });
    edit
}

fn notes_section(ui: &mut egui::Ui, selected: &Selected<'_>) -> Option<Edit> {
    section_title(ui, "Notes", "");
    let current = selected.shared(|work| work.map(|work| work.notes.clone()).unwrap_or_default());
    let Shared::Same(mut text) = current else {
        // Typing over different notes would lose all but one of them.
        ui.weak("The selected regions have different notes. Select one region to edit its notes.");
        return None;
    };
    // A field of its own for each selection, so that a cursor or an edit in
    // progress never carries over to other regions.
    let id = ui.make_persistent_id(("region_notes", selected.regions));
    let response = crate::ui::widgets::seen_text::field(ui, &mut text, id, true, |edit| {
        edit.char_limit(crate::model::MAX_TEXT_CHARS)
            .hint_text("What you found, what to watch for")
            .desired_rows(3)
            .desired_width(f32::INFINITY)
    })
    .accessible_name("Region notes");
    response.changed().then_some(Edit::Notes(text))
}

// --- Small widgets -----------------------------------------------------------------

/// "Tension: moderate"; `state` may be empty.
fn section_title(ui: &mut egui::Ui, title: &str, state: &str) {
    ui.add_space(4.0);
    let text = if state.is_empty() { title.to_owned() } else { format!("{title}: {state}") };
    ui.label(RichText::new(text).strong());
}

/// "Trigger point", or "Trigger point (2 of 3)" where only some regions have it.
fn toggle_text(label: &str, having: usize, total: usize) -> String {
    if having == 0 || having == total { label.to_owned() } else { format!("{label} ({having} of {total})") }
}

/// Tells a screen reader that a toggle is on for only some of the selection
/// (its name stays the plain one, so it is found the same way in every state).
fn mark_mixed(ui: &egui::Ui, response: &Response, having: usize, total: usize) {
    if having > 0 && having < total {
        ui.ctx()
            .accesskit_node_builder(response.id, |node| node.set_toggled(egui::accesskit::Toggled::Mixed));
    }
}

/// A button that shows whether its value is the chosen one.
fn value_button(ui: &mut egui::Ui, selected: bool, text: RichText) -> Response {
    ui.add(Button::new(text).selected(selected).min_size(Vec2::splat(MIN_TARGET)))
}

/// "Clear", named e.g. "Clear tension"; greyed out when there is nothing to clear.
fn clear_button(ui: &mut egui::Ui, what: &str, enabled: bool) -> bool {
    ui.add_enabled(enabled, Button::new("Clear").frame_when_inactive(false).min_size(Vec2::splat(MIN_TARGET)))
        .accessible_name(format!("Clear {what}"))
        .on_hover_text(format!("Remove the {what} of the selected regions"))
        .clicked()
}

/// A finding's toggle: its legend symbol, then its name.
fn finding_toggle(ui: &mut egui::Ui, kind: FindingKind, selected: bool, text: String) -> Response {
    let symbol_id = IdSalt::new(("finding_symbol", kind));
    let atoms = (Atom::custom(symbol_id, Vec2::splat(SYMBOL_SIZE)), text);
    let response = Button::new(atoms).selected(selected).min_size(Vec2::splat(MIN_TARGET)).atom_ui(ui);
    if let Some(rect) = response.rect(symbol_id) {
        paint_badge(ui.painter(), kind, rect, ui.is_enabled());
    }
    response.response.accessible_name(kind.label())
}

/// A finding's badge filling `rect`, dimmed when the editor is read-only.
fn paint_badge(painter: &Painter, kind: FindingKind, rect: Rect, enabled: bool) {
    let mut painter = painter.clone();
    if !enabled {
        painter.multiply_opacity(0.5);
    }
    // The map's badge disc is 0.62 of its size in radius; here it fills the rect.
    let size = rect.width().min(rect.height()) * 0.5 / 0.62;
    crate::ui::map::paint::badge(&painter, kind, rect.center(), size);
}

#[cfg(test)]
mod tests {
    use egui::Role;
    use egui::accesskit::Toggled;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    use super::*;
    use crate::model::ClientId;

    const WIDTH: f32 = 280.0;

    struct State {
        session: Session,
        selection: BTreeSet<RegionId>,
        techniques: Vec<Technique>,
        advice: RegionAdvice,
        read_only: bool,
        /// Whether the editor reported a change in any frame so far.
        changed: bool,
    }

    fn session() -> Session {
        let client = ClientId::new("ana-lima-k3f9q").expect("a valid client id");
        let starts_at = jiff::civil::date(2026, 11, 23).at(9, 30, 0, 0);
        Session::new(client, starts_at, Minutes::new(60).expect("60 minutes"))
    }

    fn techniques() -> Vec<Technique> {
        let mut settings = PracticeSettings::default();
        settings.extra_techniques.push("Gua sha".to_owned());
        offered_techniques(&settings)
    }

    /// The editor in a side panel as narrow as the session screen's, on `session`.
    fn editor_on(session: Session, selection: &[RegionId]) -> Harness<'static, State> {
        editor_with(session, selection, BTreeMap::new(), false)
    }

    fn editor_with(
        session: Session,
        selection: &[RegionId],
        caps: BTreeMap<RegionId, PressureCap>,
        read_only: bool,
    ) -> Harness<'static, State> {
        let state = State {
            session,
            selection: selection.iter().copied().collect(),
            techniques: techniques(),
            advice: RegionAdvice { caps, ..RegionAdvice::default() },
            read_only,
            changed: false,
        };
        let mut harness = Harness::builder().with_size(vec2(WIDTH, 1100.0)).build_ui_state(
            |ui, state: &mut State| {
                state.changed |= region_editor(
                    ui,
                    &mut state.session,
                    &state.selection,
                    &state.techniques,
                    &state.advice,
                    state.read_only,
                );
            },
            state,
        );
        harness.run();
        harness
    }

    fn click(harness: &mut Harness<'_, State>, name: &str) {
        harness.get_by_role_and_label(Role::Button, name).click();
        harness.run();
    }

    const LEFT: RegionId = RegionId::UpperTrapeziusL;
    const RIGHT: RegionId = RegionId::UpperTrapeziusR;

    #[test]
    fn with_nothing_selected_a_quiet_hint_shows() {
        let harness = editor_on(session(), &[]);
        assert!(harness.query_by_label_contains("Select a region on the map").is_some());
        assert!(harness.query_by_label("Tension moderate").is_none());
        assert!(!harness.state().changed);
    }

    #[test]
    fn one_region_shows_its_name_side_and_plain_label() {
        let harness = editor_on(session(), &[LEFT]);
        harness.get_by_label("Upper trapezius · client's left");
        harness.get_by_label_contains("Top of shoulder");
        harness.get_by_label_contains("Not in the plan yet");
    }

    #[test]
    fn clicking_tension_moderate_sets_it_and_adds_the_region_at_the_end_of_the_plan() {
        let mut earlier = session();
        earlier.region_mut(RegionId::LumbarL).pain = Some(Pain::new(4).expect("pain 4"));
        let mut harness = editor_on(earlier, &[LEFT]);
        assert_eq!(harness.state().session.regions.len(), 1, "showing a region adds nothing");

        click(&mut harness, "Tension moderate");

        let session = &harness.state().session;
        let order: Vec<RegionId> = session.regions.iter().map(|work| work.region).collect();
        assert_eq!(order, [RegionId::LumbarL, LEFT]);
        assert_eq!(session.region(LEFT).and_then(|work| work.tension), Tension::new(2).ok());
        assert!(harness.state().changed);
        harness.get_by_label("Tension: moderate");
        harness.get_by_label_contains("Step 2 of the plan");

        click(&mut harness, "Clear tension");
        assert_eq!(harness.state().session.region(LEFT).and_then(|work| work.tension), None);
        harness.get_by_label("Tension: not set");
    }

    #[test]
    fn pain_is_set_with_a_click_and_cleared() {
        let mut harness = editor_on(session(), &[LEFT]);
        click(&mut harness, "Pain 6");
        assert_eq!(harness.state().session.region(LEFT).and_then(|work| work.pain), Pain::new(6).ok());
        harness.get_by_label("Pain: 6/10");
        click(&mut harness, "Clear pain");
        assert_eq!(harness.state().session.region(LEFT).and_then(|work| work.pain), None);
    }

    #[test]
    fn with_two_regions_selected_pressure_3_medium_sets_both() {
        let mut mixed = session();
        mixed.region_mut(LEFT).pressure = Some(Pressure::LIGHT);
        mixed.region_mut(RIGHT).pressure = Some(Pressure::FIRM);
        let mut harness = editor_on(mixed, &[LEFT, RIGHT]);
        harness.get_by_label("2 regions selected");
        harness.get_by_label("Planned pressure: mixed");

        click(&mut harness, "Pressure 3 medium");

        for region in [LEFT, RIGHT] {
            let work = harness.state().session.region(region);
            assert_eq!(work.and_then(|work| work.pressure), Some(Pressure::MEDIUM), "{region}");
        }
        harness.get_by_label("Planned pressure: 3 medium");
    }

    #[test]
    fn with_two_regions_selected_new_entries_are_made_for_both_in_catalogue_order() {
        let mut harness = editor_on(session(), &[RIGHT, LEFT]);
        click(&mut harness, "Minutes 15");
        let order: Vec<RegionId> = harness.state().session.regions.iter().map(|work| work.region).collect();
        assert_eq!(order, [LEFT, RIGHT]);
    }

    #[test]
    fn a_finding_toggles_on_and_off() {
        let mut harness = editor_on(session(), &[LEFT]);
        click(&mut harness, "Trigger point");
        let findings = |h: &Harness<'_, State>| h.state().session.region(LEFT).map(|w| w.findings.clone());
        assert_eq!(findings(&harness), Some(vec![FindingKind::TriggerPoint]));
        click(&mut harness, "Trigger point");
        assert_eq!(findings(&harness), Some(vec![]));
    }

    #[test]
    fn a_finding_some_of_the_selection_has_is_given_to_all_then_taken_from_all() {
        let mut some = session();
        some.region_mut(LEFT).findings.push(FindingKind::Spasm);
        let mut harness = editor_on(some, &[LEFT, RIGHT]);
        let spasm = harness.get_by_role_and_label(Role::Button, "Spasm");
        assert_eq!(spasm.accesskit_node().toggled(), Some(Toggled::Mixed));

        click(&mut harness, "Spasm");
        for region in [LEFT, RIGHT] {
            let work = harness.state().session.region(region);
            assert_eq!(work.map(|w| w.findings.clone()), Some(vec![FindingKind::Spasm]), "{region}");
        }
        click(&mut harness, "Spasm");
        for region in [LEFT, RIGHT] {
            let work = harness.state().session.region(region);
            assert_eq!(work.map(|w| w.findings.len()), Some(0), "{region}");
        }
    }

    #[test]
    fn a_technique_toggles_and_the_clinics_own_are_offered() {
        let mut harness = editor_on(session(), &[LEFT]);
        let techniques =
            |h: &Harness<'_, State>| h.state().session.region(LEFT).map(|w| w.techniques.clone());
        click(&mut harness, "Stripping");
        click(&mut harness, "Gua sha");
        assert_eq!(
            techniques(&harness),
            Some(vec![Technique::Stripping, Technique::Clinic("Gua sha".to_owned())])
        );
        click(&mut harness, "Stripping");
        assert_eq!(techniques(&harness), Some(vec![Technique::Clinic("Gua sha".to_owned())]));
    }

    #[test]
    fn minutes_10_sets_the_minutes_and_clear_removes_them() {
        let mut harness = editor_on(session(), &[LEFT]);
        click(&mut harness, "Minutes 10");
        assert_eq!(harness.state().session.region(LEFT).and_then(|w| w.minutes), Minutes::new(10).ok());
        harness.get_by_label("Minutes: 10 min");
        click(&mut harness, "Clear minutes");
        assert_eq!(harness.state().session.region(LEFT).and_then(|w| w.minutes), None);
    }

    #[test]
    fn other_minutes_can_be_typed() {
        let mut harness = editor_on(session(), &[LEFT]);
        harness.get_by_label("Region minutes").focus();
        harness.run();
        harness.get_by_label("Region minutes").type_text("25");
        harness.run();
        harness.key_press(egui::Key::Enter);
        harness.run();
        assert_eq!(harness.state().session.region(LEFT).and_then(|w| w.minutes), Minutes::new(25).ok());
    }

    #[test]
    fn notes_are_typed_into_the_region_notes() {
        let mut harness = editor_on(session(), &[LEFT]);
        harness.get_by_label("Region notes").focus();
        harness.run();
        harness.get_by_label("Region notes").type_text("Knot near C7");
        harness.run();
        assert_eq!(harness.state().session.region(LEFT).map(|w| w.notes.as_str()), Some("Knot near C7"));
    }

    #[test]
    fn different_notes_of_a_selection_are_not_offered_for_typing_over() {
        let mut different = session();
        different.region_mut(LEFT).notes = "left".to_owned();
        different.region_mut(RIGHT).notes = "right".to_owned();
        let harness = editor_on(different, &[LEFT, RIGHT]);
        assert!(harness.query_by_label("Region notes").is_none());
        harness.get_by_label_contains("different notes");
    }

    #[test]
    fn the_cap_shows_and_a_pressure_above_it_can_still_be_chosen() {
        let cap = PressureCap { max: Pressure::MEDIUM, why: "blood thinners".to_owned() };
        let mut harness = editor_with(session(), &[LEFT], BTreeMap::from([(LEFT, cap)]), false);
        harness.get_by_label("Cap 3 (medium): blood thinners");
        assert!(harness.query_by_label_contains("above the cap").is_none());

        click(&mut harness, "Pressure 4 firm");

        assert_eq!(harness.state().session.region(LEFT).and_then(|w| w.pressure), Some(Pressure::FIRM));
        harness.get_by_label_contains("The planned pressure is above the cap");
    }

    #[test]
    fn a_cap_on_part_of_the_selection_says_how_many_regions_it_covers() {
        let cap = PressureCap { max: Pressure::LIGHT, why: "recent surgery".to_owned() };
        let harness = editor_with(session(), &[LEFT, RIGHT], BTreeMap::from([(RIGHT, cap)]), false);
        harness.get_by_label("Cap 2 (light) on 1 of 2 regions: recent surgery");
    }

    #[test]
    fn a_read_only_session_is_shown_but_not_changed_by_clicks() {
        let mut planned = session();
        let work = planned.region_mut(LEFT);
        work.tension = Tension::new(1).ok();
        work.notes = "Tight after travel".to_owned();
        let mut harness = editor_with(planned.clone(), &[LEFT, RIGHT], BTreeMap::new(), true);
        for name in [
            "Tension severe",
            "Clear tension",
            "Pain 6",
            "Trigger point",
            "Pressure 5 deep",
            "Stripping",
            "Minutes 10",
        ] {
            click(&mut harness, name);
        }
        assert_eq!(harness.state().session, planned);
        assert!(!harness.state().changed);
        harness.get_by_label("Tension: mixed");
    }

    #[test]
    fn every_button_is_big_enough_for_oily_hands_and_fits_a_narrow_panel() {
        let harness = editor_on(session(), &[LEFT]);
        let buttons: Vec<_> = harness.get_all_by_role(Role::Button).collect();
        assert!(buttons.len() > 30, "{} buttons", buttons.len());
        for button in buttons {
            let rect = button.rect();
            let name = button.accesskit_node().label().unwrap_or_default();
            assert!(rect.height() >= MIN_TARGET - 0.5, "{name} is {} high", rect.height());
            assert!(rect.width() >= MIN_TARGET - 0.5, "{name} is {} wide", rect.width());
            assert!(rect.max.x <= WIDTH, "{name} goes past the panel's edge");
        }
    }
}
