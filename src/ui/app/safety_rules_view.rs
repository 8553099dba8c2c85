//! Practice settings → Safety rules: the clinic tightens the built-in rules
//! (a lower cap, more regions to avoid, a reminder) and adds flags of its own,
//! seeing what the change would do to the planned sessions before saving it.

use crate::model::{
    ClinicCap, ClinicFlag, ClinicRules, CoarseArea, HealthFlag, Pressure, Tightening, Where, flag_key,
};
use crate::safety::built_in_cap;
use crate::workspace::RuleEffect;

/// What the window asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum SafetyRulesEvent {
    Save(ClinicRules),
    Closed,
}

/// The rules being edited, while the window is open.
#[derive(Debug)]
pub struct SafetyRulesWindow {
    pub draft: ClinicRules,
    saved: ClinicRules,
    new_flag: String,
    /// What the draft would change, for the draft it was worked out for.
    effect: Option<(ClinicRules, RuleEffect)>,
    /// Close was asked for with changes not saved: the window asks what to do with them.
    asking_to_close: bool,
}

impl SafetyRulesWindow {
    pub fn new(rules: ClinicRules) -> SafetyRulesWindow {
        SafetyRulesWindow {
            draft: rules.clone(),
            saved: rules,
            new_flag: String::new(),
            effect: None,
            asking_to_close: false,
        }
    }

    /// Draws the window. `effect_of` works out what a draft would change; it is
    /// asked again only when the draft changed.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        read_only: Option<&str>,
        effect_of: impl FnOnce(&ClinicRules) -> RuleEffect,
    ) -> Option<SafetyRulesEvent> {
        let mut event = None;
        let mut open = true;
        if self.draft == self.saved {
            self.effect = None;
        } else if self.effect.as_ref().is_none_or(|(for_draft, _)| *for_draft != self.draft) {
            self.effect = Some((self.draft.clone(), effect_of(&self.draft)));
        }
        let shown = crate::ui::widgets::window::show(
            egui::Window::new("Safety rules").open(&mut open).default_width(560.0).default_height(560.0),
            ctx,
            |ui| {
                ui.label(
                    "The built-in rules always apply. Here the clinic can tighten them (never loosen them) and \
                     add flags of its own. A planning aid, not medical advice.",
                );
                if let Some(why) = read_only {
                    ui.colored_label(ui.visuals().warn_fg_color, format!("Read-only: {why}"));
                }
                ui.add_enabled_ui(read_only.is_none(), |ui| {
                    egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                        ui.heading("Built-in flags");
                        for flag in HealthFlag::ALL {
                            built_in_rule(ui, flag, self.draft.built_in.entry(flag).or_default());
                        }
                        self.draft.built_in.retain(|_, tightening| !tightening.is_empty());
                        ui.add_space(8.0);
                        ui.heading("The clinic's own flags");
                        let mut remove = None;
                        for (index, flag) in self.draft.clinic_flags.iter_mut().enumerate() {
                            if clinic_flag(ui, flag) {
                                remove = Some(index);
                            }
                        }
                        if let Some(index) = remove {
                            self.draft.clinic_flags.remove(index);
                        }
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::TextEdit::singleline(&mut self.new_flag)
                                    .hint_text("e.g. Varicose veins"),
                            )
                            .accessible_name("New clinic flag's name");
                            let name = self.new_flag.trim().to_owned();
                            if ui.add_enabled(!name.is_empty(), egui::Button::new("Add flag")).clicked() {
                                let mut flag = ClinicFlag::new(&name);
                                flag.key = unique_key(&self.draft, &flag_key(&name));
                                self.draft.clinic_flags.push(flag);
                                self.new_flag.clear();
                            }
                        });
                        ui.add_space(8.0);
                        sensitive_areas(ui, &mut self.draft.sensitive_regions);
                    });
                });
                ui.separator();
                match &self.effect {
                    Some((_, effect)) => {
                        ui.strong(effect.in_words());
                    }
                    None => {
                        ui.weak("No change yet.");
                    }
                }
                let changed = self.draft != self.saved && read_only.is_none();
                let mut close = false;
                // The question takes the buttons' row, so nothing below them moves.
                ui.horizontal(|ui| {
                    if self.asking_to_close && changed {
                        ui.colored_label(ui.visuals().warn_fg_color, "The rules have changes not saved.");
                        if ui.button("Save rules").clicked() {
                            event = Some(SafetyRulesEvent::Save(self.draft.clone()));
                        }
                        if ui.button("Discard the changes").clicked() {
                            event = Some(SafetyRulesEvent::Closed);
                        }
                        if ui.button("Keep editing").clicked() {
                            self.asking_to_close = false;
                        }
                        return;
                    }
                    if ui.add_enabled(changed, egui::Button::new("Save rules")).clicked() {
                        event = Some(SafetyRulesEvent::Save(self.draft.clone()));
                    }
                    close = ui.button("Close").clicked();
                });
                if close {
                    self.close_or_ask(changed, &mut event);
                }
                if let Some(last) = self.saved.changes.last() {
                    ui.weak(format!(
                        "Last changed {} by {}: {}",
                        last.at.strftime("%-d %b %Y %H:%M"),
                        last.by,
                        last.what
                    ));
                }
            },
        );
        let escape = crate::ui::widgets::escape::closes(ctx, &shown);
        if !open || escape {
            let changed = self.draft != self.saved && read_only.is_none();
            self.close_or_ask(changed, &mut event);
        }
        event
    }

    /// Closes at once when nothing would be lost, else asks first.
    fn close_or_ask(&mut self, changed: bool, event: &mut Option<SafetyRulesEvent>) {
        if changed {
            self.asking_to_close = true;
        } else {
            *event = Some(SafetyRulesEvent::Closed);
        }
    }
}

/// The areas whose work needs the client's written consent in every session:
/// the gluteal ones always, and those the clinic adds.
fn sensitive_areas(ui: &mut egui::Ui, added: &mut std::collections::BTreeSet<crate::model::RegionId>) {
    use crate::model::RegionId;
    use crate::model::consent::SENSITIVE_REGIONS;
    ui.heading("Sensitive areas");
    let always: Vec<String> = SENSITIVE_REGIONS.iter().map(|region| region.accessible_name()).collect();
    ui.weak(format!(
        "Their work needs the client's written consent in every session. Always: {}.",
        always.join("; ")
    ));
    let mut remove = None;
    for region in added.iter() {
        ui.horizontal(|ui| {
            ui.label(region.accessible_name());
            if ui.small_button("Remove").on_hover_text("No longer a sensitive area of the clinic's").clicked()
            {
                remove = Some(*region);
            }
        });
    }
    if let Some(region) = remove {
        added.remove(&region);
    }
    ui.menu_button("Add a sensitive area…", |ui| {
        egui::ScrollArea::vertical().max_height(320.0).show(ui, |ui| {
            let offered: Vec<RegionId> = RegionId::all()
                .filter(|region| !SENSITIVE_REGIONS.contains(region) && !added.contains(region))
                .collect();
            for region in offered {
                if ui.button(region.accessible_name()).clicked() {
                    added.insert(region);
                    ui.close();
                }
            }
        });
    });
}

/// A key not yet used by another of the clinic's flags.
fn unique_key(rules: &ClinicRules, key: &str) -> String {
    let mut candidate = key.to_owned();
    let mut counter = 2;
    while rules.flag(&candidate).is_some() {
        candidate = format!("{key}_{counter}");
        counter += 1;
    }
    candidate
}

/// One built-in flag's tightening: a lower cap and where, areas to avoid, a reminder.
fn built_in_rule(ui: &mut egui::Ui, flag: HealthFlag, tightening: &mut Tightening) {
    let name = flag.label();
    let summary = match crate::model::tightening_in_words(tightening) {
        words if words.is_empty() => format!("{name}: built-in rule"),
        words => format!("{name}: {words}"),
    };
    egui::CollapsingHeader::new(summary).id_salt(("built_in", flag)).show(ui, |ui| {
        let highest = built_in_cap(flag);
        let allowed: Vec<Pressure> =
            Pressure::all().filter(|pressure| highest.is_none_or(|highest| *pressure < highest)).collect();
        cap_row(ui, name, &mut tightening.cap, &allowed, highest);
        avoid_row(ui, name, &mut tightening.avoid_areas);
        ui.add(egui::TextEdit::singleline(&mut tightening.reminder).hint_text("A reminder on every session"))
            .accessible_name(format!("{name}: reminder"));
    });
}

/// One of the clinic's flags: its name, cap, areas to avoid, reminder, whether it
/// stops the session. True when the user asked to remove it.
fn clinic_flag(ui: &mut egui::Ui, flag: &mut ClinicFlag) -> bool {
    let mut remove = false;
    egui::CollapsingHeader::new(&flag.name).id_salt(("clinic", flag.key.clone())).default_open(true).show(
        ui,
        |ui| {
            let name = flag.name.clone();
            ui.horizontal(|ui| {
                ui.label("Name");
                ui.text_edit_singleline(&mut flag.name)
                    .on_hover_text("The key in client files stays as it was");
            });
            let all: Vec<Pressure> = Pressure::all().filter(|pressure| *pressure < Pressure::MAX).collect();
            cap_row(ui, &name, &mut flag.cap, &all, None);
            avoid_row(ui, &name, &mut flag.avoid_areas);
            ui.add(egui::TextEdit::singleline(&mut flag.reminder).hint_text("A reminder on every session"))
                .accessible_name(format!("{name}: reminder"));
            ui.checkbox(&mut flag.blocks, "Stops the session (postpone until it no longer holds)")
                .accessible_name(format!("{name}: stops the session"));
            if ui.button("Remove this flag").clicked() {
                remove = true;
            }
        },
    );
    remove
}

/// "Cap: none 1 2 3, everywhere or on the neck…"
fn cap_row(
    ui: &mut egui::Ui,
    name: &str,
    cap: &mut Option<ClinicCap>,
    allowed: &[Pressure],
    built_in: Option<Pressure>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Cap");
        // Named as it is shown, so that a screen reader says what a sighted user reads.
        let (none, none_said) = match built_in {
            Some(built_in) => (
                format!("built-in ({})", built_in.get()),
                format!("{name}: built-in cap {}, no clinic cap", built_in.get()),
            ),
            None => ("none".to_owned(), format!("{name}: no cap")),
        };
        if ui.selectable_label(cap.is_none(), none).accessible_name(none_said).clicked() {
            *cap = None;
        }
        for &pressure in allowed {
            let chosen = cap.as_ref().is_some_and(|cap| cap.max == pressure);
            let label = format!("{} ({})", pressure.get(), pressure.word());
            if ui
                .selectable_label(chosen, label)
                .accessible_name(format!("{name}: cap {}", pressure.get()))
                .clicked()
            {
                let on = cap.take().map(|cap| cap.on).unwrap_or_default();
                *cap = Some(ClinicCap { max: pressure, on });
            }
        }
    });
    if let Some(cap) = cap {
        ui.horizontal_wrapped(|ui| {
            ui.label("on");
            if ui.selectable_label(cap.on == Where::Everywhere, "everywhere").clicked() {
                cap.on = Where::Everywhere;
            }
            for area in CoarseArea::ALL {
                let on = matches!(&cap.on, Where::Areas(areas) if areas.contains(&area));
                if ui
                    .selectable_label(on, area.label())
                    .accessible_name(format!("{name}: cap on the {}", area.label().to_lowercase()))
                    .clicked()
                {
                    let mut areas = match &cap.on {
                        Where::Areas(areas) => areas.clone(),
                        _ => Vec::new(),
                    };
                    if on {
                        areas.retain(|kept| *kept != area);
                    } else {
                        areas.push(area);
                    }
                    cap.on = if areas.is_empty() { Where::Everywhere } else { Where::Areas(areas) };
                }
            }
        });
    }
}

/// "Avoid: Neck Shoulder …", each a toggle.
fn avoid_row(ui: &mut egui::Ui, name: &str, areas: &mut Vec<CoarseArea>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Avoid");
        for area in CoarseArea::ALL {
            let mut avoided = areas.contains(&area);
            if ui
                .toggle_value(&mut avoided, area.label())
                .accessible_name(format!("{name}: avoid the {}", area.label().to_lowercase()))
                .changed()
            {
                if avoided {
                    areas.push(area);
                } else {
                    areas.retain(|kept| *kept != area);
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::model::RegionId;

    /// The window on the built-in rules, keeping every event it asks for.
    fn window_and_its_events() -> Harness<'static, (SafetyRulesWindow, Vec<SafetyRulesEvent>)> {
        let window = SafetyRulesWindow::new(ClinicRules::default());
        let mut harness = Harness::builder().with_size(egui::vec2(900.0, 900.0)).build_ui_state(
            |ui, (window, events): &mut (SafetyRulesWindow, Vec<SafetyRulesEvent>)| {
                events.extend(window.ui(ui.ctx(), None, |_| RuleEffect::default()));
            },
            (window, Vec::new()),
        );
        harness.run();
        harness
    }

    #[test]
    fn closing_with_changes_not_saved_asks_first_and_keeps_them_until_told() {
        let mut harness = window_and_its_events();
        harness.get_by_label("New clinic flag's name").click();
        harness.run();
        harness.get_by_label("New clinic flag's name").type_text("Varicose veins");
        harness.run();
        harness.get_by_label("Add flag").click();
        harness.run();

        harness.get_by_label("Close").click();
        harness.run();
        assert!(harness.state().1.is_empty(), "nothing closed yet");
        assert!(harness.query_by_label("The rules have changes not saved.").is_some());
        harness.get_by_label("Keep editing").click();
        harness.run();
        assert_eq!(harness.state().0.draft.clinic_flags.len(), 1, "the flag is still there");

        harness.key_press(egui::Key::Escape);
        harness.run();
        assert!(harness.state().1.is_empty(), "Escape asks too");
        harness.get_by_label("Save rules").click();
        harness.run();
        assert!(
            matches!(harness.state().1.as_slice(), [SafetyRulesEvent::Save(rules)] if rules.clinic_flags.len() == 1)
        );
    }

    #[test]
    fn closing_without_changes_closes_at_once() {
        let mut harness = window_and_its_events();
        harness.get_by_label("Close").click();
        harness.run();
        assert_eq!(harness.state().1, [SafetyRulesEvent::Closed]);
    }

    #[test]
    fn the_clinic_adds_a_sensitive_area_beside_the_gluteal_ones_and_can_take_it_away() {
        let window = SafetyRulesWindow::new(ClinicRules::default());
        let mut harness = Harness::builder().with_size(egui::vec2(900.0, 900.0)).build_ui_state(
            |ui, window: &mut SafetyRulesWindow| {
                window.ui(ui.ctx(), None, |_| RuleEffect::default());
            },
            window,
        );
        harness.run();
        assert!(harness.query_by_label_contains("Always: Gluteus maximus, client's left").is_some());
        harness.get_by_label("Add a sensitive area…").click();
        harness.run();
        harness.get_by_label("Quadratus lumborum, client's left").scroll_to_me();
        harness.run();
        harness.get_by_label("Quadratus lumborum, client's left").click();
        harness.run();
        assert_eq!(harness.state().draft.sensitive_regions, [RegionId::QuadratusLumborumL].into());
        assert!(
            harness.state().draft.sensitive_regions().contains(&RegionId::PiriformisR),
            "the gluteal ones stay"
        );
        harness.get_by_label("Remove").click();
        harness.run();
        assert!(harness.state().draft.sensitive_regions.is_empty());
    }
}
