//! A client's history, read-only: the timeline of sessions with a small map
//! each, two sessions compared region by region, and where tension or pain keeps
//! coming back over a period. The figures come from [`crate::history`], the
//! maps from [`crate::figure`] with a value source each.

use std::collections::{BTreeMap, BTreeSet};

use egui::{RichText, Vec2, vec2};
use jiff::civil::Date;

use crate::figure::{
    ChangeValues, Figure, FigureView, LayerView, MeanValues, RegionValues, SessionValues, ShareValues,
};
use crate::geometry::BodyMap;
use crate::history::{History, Measure, changes};
use crate::legend::FillMode;
use crate::model::words;
use crate::model::{Session, SessionId};

use super::map::{paint_figure, region_in_figure};
use super::widgets::date_field::optional_date_field;

/// Which part of the history is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HistoryTab {
    #[default]
    Timeline,
    Compare,
    Trends,
    Recurrence,
}

impl HistoryTab {
    const ALL: [HistoryTab; 4] =
        [HistoryTab::Timeline, HistoryTab::Compare, HistoryTab::Trends, HistoryTab::Recurrence];

    fn label(self) -> &'static str {
        match self {
            HistoryTab::Timeline => "Timeline",
            HistoryTab::Compare => "Compare",
            HistoryTab::Trends => "Trends",
            HistoryTab::Recurrence => "Where it comes back",
        }
    }
}

/// The history window of one client.
#[derive(Clone, Debug, Default)]
pub struct HistoryWindow {
    pub tab: HistoryTab,
    measure: MeasureChoice,
    before: Option<SessionId>,
    after: Option<SessionId>,
    from: Option<Date>,
    to: Option<Date>,
    painful: bool,
    /// The region the trends follow; by coarse area when none.
    trend_region: Option<crate::model::RegionId>,
    /// A point clicked on the trends, opened once it is clear no double click (zoom reset) follows.
    pending_open: Option<(SessionId, f64)>,
    /// Whether the Trends table was open in the last frame: the chart then gives it room.
    points_table_open: bool,
}

/// The measure a comparison is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum MeasureChoice {
    #[default]
    Tension,
    Pain,
    Pressure,
}

impl MeasureChoice {
    const ALL: [MeasureChoice; 3] = [MeasureChoice::Tension, MeasureChoice::Pain, MeasureChoice::Pressure];

    fn measure(self) -> Measure {
        match self {
            MeasureChoice::Tension => Measure::Tension,
            MeasureChoice::Pain => Measure::Pain,
            MeasureChoice::Pressure => Measure::Pressure,
        }
    }

    fn fill(self) -> FillMode {
        match self {
            MeasureChoice::Tension => FillMode::Tension,
            MeasureChoice::Pain => FillMode::Pain,
            MeasureChoice::Pressure => FillMode::Pressure,
        }
    }
}

/// What the app is asked to do from the history.
#[derive(Debug, PartialEq, Eq)]
pub enum HistoryEvent {
    /// Open this session (read-only if it is a record, as from the list).
    Open(SessionId),
    Closed,
}

/// The largest map in the comparison and the recurrence; smaller where the window is narrow.
const MAP_SIZE: Vec2 = vec2(210.0, 290.0);
/// The width of a legend beside the maps.
const LEGEND_WIDTH: f32 = 150.0;

/// The size of each of `count` maps side by side with a legend, in what `ui` has.
fn map_size(ui: &egui::Ui, count: usize) -> Vec2 {
    let spacing = ui.spacing().item_spacing.x * (count as f32 + 1.0);
    let by_width = (ui.available_width() - LEGEND_WIDTH - spacing) / count as f32;
    // The maps grow with the window, leaving room below them for what is said in words.
    let by_height = (ui.available_height() - ROOM_UNDER_MAPS) * MAP_SIZE.x / MAP_SIZE.y;
    let width = by_width.min(by_height).clamp(120.0, 2.0 * MAP_SIZE.x);
    vec2(width, width * MAP_SIZE.y / MAP_SIZE.x)
}

/// What the Compare and "Where it comes back" tabs show under their maps: a caption and a few lines.
const ROOM_UNDER_MAPS: f32 = 200.0;
/// The size of a map in the timeline.
const SMALL_MAP: Vec2 = vec2(84.0, 116.0);

impl HistoryWindow {
    /// The window opened on `tab`.
    pub fn on(tab: HistoryTab) -> HistoryWindow {
        HistoryWindow { tab, ..HistoryWindow::default() }
    }

    pub fn ui(&mut self, ctx: &egui::Context, name: &str, sessions: &[Session]) -> Option<HistoryEvent> {
        let mut open = true;
        let mut event = None;
        let title = format!("History: {name}");
        let window_id = egui::Id::unique("client_history");
        let shown = crate::ui::widgets::window::show(
            egui::Window::new(crate::ui::widgets::seen_text::styled_text(&ctx.global_style(), &title))
                .id(window_id)
                .open(&mut open)
                // Most of the screen: the maps are what the therapist came to look at.
                .default_size((ctx.content_rect().size() * vec2(0.92, 0.88)).max(vec2(760.0, 520.0))),
            ctx,
            |ui| {
                ui.horizontal(|ui| {
                    crate::ui::widgets::said::tab_list(ui, "History");
                    for tab in HistoryTab::ALL {
                        let button = ui.selectable_value(&mut self.tab, tab, tab.label());
                        crate::ui::widgets::said::tab(&button, self.tab == tab, None);
                    }
                });
                ui.separator();
                let history = History::of(sessions);
                if history.sessions().is_empty() && self.tab != HistoryTab::Timeline {
                    ui.label(
                    "No session has taken place yet: the history starts with the first completed session.",
                );
                    return;
                }
                // One period for the timeline, the trends and "where it comes back".
                if self.tab != HistoryTab::Compare {
                    let latest = sessions.iter().map(|s| s.starts_at.date()).max().unwrap_or_default();
                    self.period_row(ui, latest);
                }
                let (from, to) = (self.from, self.to);
                let within = |session: &&Session| {
                    let day = session.starts_at.date();
                    from.is_none_or(|from| day >= from) && to.is_none_or(|to| day <= to)
                };
                let in_period: Vec<Session> = sessions.iter().filter(within).cloned().collect();
                event = match self.tab {
                    HistoryTab::Timeline => timeline(ui, &in_period),
                    HistoryTab::Compare => self.compare(ui, &history),
                    HistoryTab::Trends => self.trends(ui, &history.between(from, to)),
                    HistoryTab::Recurrence => {
                        self.recurrence(ui, &history);
                        None
                    }
                };
            },
        );
        // A screen reader names the window with the client's name as it is written (the
        // window's node is its area's, which egui keeps under the window's id with "move").
        ctx.accesskit_node_builder(window_id.with("move"), |node| node.set_label(title));
        if !open || crate::ui::widgets::escape::closes(ctx, &shown) {
            event = Some(HistoryEvent::Closed);
        }
        event
    }

    /// "Last 3 months · 6 months · 1 year · All", or From and To: the period
    /// every tab but Compare shows, counted back from the latest session.
    fn period_row(&mut self, ui: &mut egui::Ui, latest: Date) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Period");
            for (words, months) in [("Last 3 months", 3), ("6 months", 6), ("1 year", 12)] {
                let from = latest.checked_sub(jiff::Span::new().months(months)).ok();
                let chosen = self.from == from && self.to.is_none();
                if ui.selectable_label(chosen, words).clicked() {
                    self.from = from;
                    self.to = None;
                }
            }
            if ui.selectable_label(self.from.is_none() && self.to.is_none(), "All").clicked() {
                self.from = None;
                self.to = None;
            }
            ui.separator();
            let from = ui.label("From");
            optional_date_field(ui, from.id, "Period from", &mut self.from, latest);
            let to = ui.label("To");
            optional_date_field(ui, to.id, "Period to", &mut self.to, latest);
        });
    }

    fn compare(&mut self, ui: &mut egui::Ui, history: &History<'_>) -> Option<HistoryEvent> {
        let happened = history.sessions();
        let count = happened.len();
        let after_id = self.after.clone().filter(|id| happened.iter().any(|s| &s.id == id));
        let after =
            after_id.and_then(|id| happened.iter().find(|s| s.id == id)).or(happened.last()).copied()?;
        let before_default =
            happened.iter().rev().find(|s| s.starts_at < after.starts_at).or(happened.first());
        let before = self
            .before
            .as_ref()
            .and_then(|id| happened.iter().find(|s| &s.id == id))
            .or(before_default)
            .copied()?;
        ui.horizontal(|ui| {
            session_picker(ui, "Before", happened, &before.id, &mut self.before);
            session_picker(ui, "After", happened, &after.id, &mut self.after);
            ui.separator();
            for choice in MeasureChoice::ALL {
                ui.selectable_value(&mut self.measure, choice, choice.fill().label());
            }
        });
        if count < 2 {
            ui.label("Only one session so far: there is nothing to compare it with yet.");
        }
        let Ok(map) = BodyMap::standard() else {
            return None;
        };
        let measure = self.measure.measure();
        let changed = changes(before, after, measure);
        let kinds: BTreeMap<_, _> = changed.iter().map(|(region, change)| (*region, change.change)).collect();
        let layers = LayerView::showing(changed.keys().copied());
        let none = BTreeSet::new();
        let view = FigureView { layers, caution_zones: false, warned: &none, marks: &[] };
        let mode = self.measure.fill();
        let before_values = SessionValues { session: before, mode };
        let after_values = SessionValues { session: after, mode };
        let change_values =
            ChangeValues { changes: &kinds, measure: mode.label(), outcome: measure.is_outcome() };
        let maps: [(String, Figure, &dyn RegionValues); 3] = [
            (format!("Before: {}", day(before)), Figure::build(map, &before_values, &view), &before_values),
            (format!("After: {}", day(after)), Figure::build(map, &after_values, &view), &after_values),
            ("What changed".to_owned(), Figure::build(map, &change_values, &view), &change_values),
        ];
        let size = map_size(ui, 3);
        ui.horizontal_top(|ui| {
            for (caption, figure, values) in &maps {
                let (rect, response) = map_with_caption(ui, caption, figure, *values, size);
                // Hovering a region of any of the three maps shows both values.
                if let Some(pointer) = response.hover_pos()
                    && let Some(region) = region_in_figure(rect, pointer, layers)
                {
                    let value = |v: Option<u8>| v.map_or("–".to_owned(), |v| v.to_string());
                    let words = match changed.get(&region) {
                        Some(change) => {
                            let (symbol, _) = crate::legend::change_style(change.change);
                            format!(
                                "{} → {} ({symbol} {})",
                                value(change.before),
                                value(change.after),
                                change.change.word_for(measure.is_outcome())
                            )
                        }
                        None => "not recorded in either session".to_owned(),
                    };
                    response.on_hover_text(format!("{}: {words}", region.accessible_name()));
                }
            }
            legend_column(
                ui,
                &ChangeValues { changes: &kinds, measure: mode.label(), outcome: measure.is_outcome() },
            );
        });
        ui.add_space(6.0);
        let moved: Vec<_> =
            changed.iter().filter(|(_, change)| change.change != crate::history::Change::Same).collect();
        ui.label(RichText::new(format!("{} changed", words::count(moved.len() as i64, "region"))).strong());
        let value = |v: Option<u8>| v.map_or("–".to_owned(), |v| v.to_string());
        egui::ScrollArea::vertical().id_salt("compare_table").max_height(160.0).show(ui, |ui| {
            // Grouped as the question is asked: what got better, what worse, what is new, what went.
            for kind in
                crate::history::Change::ALL.into_iter().filter(|kind| *kind != crate::history::Change::Same)
            {
                let group: Vec<_> = moved.iter().filter(|(_, change)| change.change == kind).collect();
                if group.is_empty() {
                    continue;
                }
                // In the theme's own strong text: the legend's blue of "gone" is too dark to read on dark.
                let (symbol, _) = crate::legend::change_style(kind);
                let word = capitalised(kind.word_for(measure.is_outcome()));
                ui.label(RichText::new(format!("{symbol} {word} ({})", group.len())).strong());
                for (region, change) in group {
                    let (before, after) = (value(change.before), value(change.after));
                    let name = region.accessible_name();
                    // Read on its own, as a screen reader does, a row says its group too.
                    let word = kind.word_for(measure.is_outcome());
                    ui.label(format!("{symbol} {word}: {name}, {before} → {after}"));
                }
            }
        });
        None
    }

    /// Tension or pain over time, by coarse area or for one region, with pain
    /// before and after each session; hovering shows the date and the value, a
    /// click opens the session nearest to it.
    fn trends(&mut self, ui: &mut egui::Ui, history: &History<'_>) -> Option<HistoryEvent> {
        use egui_plot::{Legend, Line, MarkerShape, Plot, PlotPoints, Points};
        let first = history.first()?.starts_at.date();
        let regions: BTreeSet<_> =
            history.sessions().iter().flat_map(|s| s.regions.iter().map(|w| w.region)).collect();
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.measure, MeasureChoice::Tension, "Tension");
            ui.selectable_value(&mut self.measure, MeasureChoice::Pain, "Pain");
            ui.separator();
            ui.label("Show");
            let shown = self.trend_region.map_or("every area".to_owned(), |region| region.accessible_name());
            let choice = egui::ComboBox::from_id_salt("trend_region")
                .selected_text(shown.as_str())
                .width(240.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.trend_region, None, "every area");
                    for region in &regions {
                        ui.selectable_value(&mut self.trend_region, Some(*region), region.accessible_name());
                    }
                })
                .response
                .accessible_name("Trend of");
            crate::ui::widgets::said::chosen(&choice, &shown);
        });
        if self.measure == MeasureChoice::Pressure {
            self.measure = MeasureChoice::Tension;
        }
        let measure = self.measure.measure();
        let x_of = |date: Date| first.until(date).map_or(0.0, |span| f64::from(span.get_days()));
        let plotted = |series: &[crate::history::Point]| -> Vec<[f64; 2]> {
            series.iter().map(|point| [x_of(point.date), f64::from(point.value)]).collect()
        };
        // Each line keeps its colour whatever else is shown: an area's is its place in
        // CoarseArea::ALL, the same for every client; pain before and after take the last two.
        let mut series: Vec<(String, usize, Vec<crate::history::Point>)> = match self.trend_region {
            Some(region) => vec![(region.accessible_name(), 0, history.region_series(measure, region))],
            None => crate::model::CoarseArea::ALL
                .into_iter()
                .enumerate()
                .map(|(index, area)| (area.label().to_owned(), index, history.area_series(measure, area)))
                .filter(|(_, _, points)| !points.is_empty())
                .collect(),
        };
        if measure == Measure::Pain {
            let around = history.pain_around_sessions();
            let pain = |pick: fn(&crate::history::PainAround) -> Option<crate::model::Pain>| {
                around
                    .iter()
                    .filter_map(|p| {
                        Some(crate::history::Point {
                            date: p.date,
                            session: p.session.clone(),
                            value: f32::from(pick(p)?.get()),
                        })
                    })
                    .collect()
            };
            series.push(("pain before".into(), 6, pain(|p| p.before)));
            series.push(("pain after".into(), 7, pain(|p| p.after)));
        }
        let lines: Vec<(String, usize, Vec<[f64; 2]>)> =
            series.iter().map(|(name, index, points)| (name.clone(), *index, plotted(points))).collect();
        let dates: Vec<(f64, SessionId, Date)> = history
            .sessions()
            .iter()
            .map(|s| (x_of(s.starts_at.date()), s.id.clone(), s.starts_at.date()))
            .collect();
        let date_of =
            move |x: f64| first.checked_add(jiff::Span::new().days(x.round() as i64)).unwrap_or(first);
        // The lines in words too: for a screen reader, and for a quick read.
        let summaries: Vec<String> = lines
            .iter()
            .filter_map(|(name, _, points)| {
                let (first, last) = (points.first()?, points.last()?);
                let count = points.len();
                Some(format!(
                    "{name}: {}, from {} to {}",
                    words::count(count as i64, "session"),
                    trim_number(first[1]),
                    trim_number(last[1])
                ))
            })
            .collect();
        let high = if measure == Measure::Pain { 10.0 } else { 3.0 };
        let dark = ui.visuals().dark_mode;
        let over = crate::history::sessions_to_average(
            lines.iter().map(|(_, _, points)| points.len()).max().unwrap_or(0),
        );
        // The chart gives up height to its table when that is open, so that rows of it show.
        let plot = Plot::new("trends")
            .height(if self.points_table_open { 200.0 } else { 380.0 })
            .legend(Legend::default())
            .include_y(0.0)
            .include_y(high)
            .allow_scroll(false)
            .x_axis_formatter(move |mark, _| date_of(mark.value).strftime("%-d %b %Y").to_string())
            .label_formatter(move |position| match position {
                egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } => Some(format!(
                    "{plot_name}\n{}: {:.1}",
                    date_of(position.x).strftime("%-d %b %Y"),
                    position.y
                )),
                egui_plot::HoverPosition::Elsewhere { .. } => None,
            })
            .show(ui, |plot_ui| {
                // Each line its colour (the legend's) and its marker shape, so that the lines part without colour too.
                for (name, index, points) in lines {
                    let shape =
                        [MarkerShape::Circle, MarkerShape::Square, MarkerShape::Diamond, MarkerShape::Up]
                            [index % 4];
                    let colour = series_colour(index, dark);
                    // The line is the average over a few sessions; each session's own value a faint point.
                    let raw: Vec<(Date, f32)> = points.iter().map(|p| (date_of(p[0]), p[1] as f32)).collect();
                    let long = points.len() >= over;
                    let line: Vec<[f64; 2]> = crate::history::smoothed(&raw, over)
                        .into_iter()
                        .zip(&points)
                        .map(|((_, value), point)| [point[0], f64::from(value)])
                        .collect();
                    plot_ui.line(Line::new(name.clone(), PlotPoints::from(line)).color(colour).width(2.0));
                    // Small rather than faded: the legend takes its swatch from them too.
                    plot_ui.points(
                        Points::new(name, PlotPoints::from(points))
                            .shape(shape)
                            .radius(if long { 2.0 } else { 3.5 })
                            .filled(true)
                            .color(colour),
                    );
                }
            });
        // The chart's own node says what it is, and where its points are in words.
        let by = if self.trend_region.is_some() { "session" } else { "area" };
        ui.ctx().accesskit_node_builder(plot.response.id, |node| {
            let of = if measure == Measure::Pain { "pain" } else { "tension" };
            node.set_label(format!("Chart of {of} by {by}; its points are in the table below"));
        });
        ui.weak(format!(
            "Each line is the average over {over} sessions once it has that many; the points are each session's own. \
             Hover a point for its date and value; click to open the session, or open it from the table below. Ctrl+wheel zooms; double-click resets \
             the zoom."
        ));
        for summary in summaries {
            ui.label(summary);
        }
        let mut opened = None;
        let folded =
            egui::CollapsingHeader::new("The points as a table").id_salt("trend_points").show(ui, |ui| {
                // Laid out only while the table is open, not in every frame of the chart.
                let named: Vec<_> =
                    series.iter().map(|(name, _, points)| (name.clone(), points.clone())).collect();
                opened = points_table(ui, &crate::history::point_table(&named));
            });
        let open = folded.body_returned.is_some();
        if open != self.points_table_open {
            self.points_table_open = open;
            ui.ctx().request_repaint();
        }
        if let Some(id) = opened {
            return Some(HistoryEvent::Open(id));
        }
        // A double click resets the zoom: its first click must not open a session as well,
        // so a click opens its session only once no second click followed it.
        let now = ui.input(|input| input.time);
        let double_click_time = ui.ctx().options(|options| options.input_options.max_double_click_delay);
        if plot.response.double_clicked() {
            self.pending_open = None;
        } else if plot.response.clicked()
            && let Some(pointer) = plot.response.hover_pos()
        {
            let x = plot.transform.value_from_position(pointer).x;
            let nearest = dates.iter().min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()));
            self.pending_open = nearest.map(|(_, id, _)| (id.clone(), now));
        }
        match &self.pending_open {
            Some((id, at)) if now - at > double_click_time => {
                let id = id.clone();
                self.pending_open = None;
                return Some(HistoryEvent::Open(id));
            }
            Some(_) => ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(double_click_time)),
            None => {}
        }
        None
    }

    fn recurrence(&mut self, ui: &mut egui::Ui, history: &History<'_>) {
        let today = history.latest().map(|s| s.starts_at.date()).unwrap_or_default();
        let _ = today;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.painful, false, "Tense");
            ui.selectable_value(&mut self.painful, true, "Painful");
        });
        let period = history.between(self.from, self.to);
        let recurrence = period.recurrence();
        let (counts, heading, measure, mode) = if self.painful {
            (&recurrence.painful, "Painful (4/10 or more)", Measure::Pain, FillMode::Pain)
        } else {
            (&recurrence.tense, "Tense (moderate or more)", Measure::Tension, FillMode::Tension)
        };
        let shares: BTreeMap<_, f32> = counts
            .iter()
            .map(|(region, count)| (*region, *count as f32 / recurrence.sessions.max(1) as f32))
            .collect();
        ui.label(format!(
            "{} session{} in the period",
            recurrence.sessions,
            if recurrence.sessions == 1 { "" } else { "s" }
        ));
        let (Ok(map), Some(first), Some(latest)) = (BodyMap::standard(), period.first(), period.latest())
        else {
            ui.label("No session in this period.");
            return;
        };
        let average = period.average_map(measure);
        let layers = LayerView::showing(shares.keys().chain(average.keys()).copied());
        let none = BTreeSet::new();
        let view = FigureView { layers, caution_zones: false, warned: &none, marks: &[] };
        let heat = ShareValues { shares: &shares, heading };
        let size = map_size(ui, 4);
        ui.horizontal_top(|ui| {
            map_with_caption(ui, "How often", &Figure::build(map, &heat, &view), &heat, size);
            legend_column(ui, &heat);
            let first_values = SessionValues { session: first, mode };
            let first_map = Figure::build(map, &first_values, &view);
            map_with_caption(ui, &format!("First: {}", day(first)), &first_map, &first_values, size);
            let latest_values = SessionValues { session: latest, mode };
            let latest_map = Figure::build(map, &latest_values, &view);
            map_with_caption(ui, &format!("Latest: {}", day(latest)), &latest_map, &latest_values, size);
            let average_values = MeanValues { values: &average, mode };
            let average_map = Figure::build(map, &average_values, &view);
            map_with_caption(ui, "Average", &average_map, &average_values, size);
        });
        let mut often: Vec<_> = shares.iter().filter(|(_, share)| **share > 0.0).collect();
        often.sort_by(|a, b| b.1.total_cmp(a.1));
        ui.add_space(6.0);
        for (region, share) in often.into_iter().take(8) {
            ui.label(format!("{}: {:.0}% of sessions", region.accessible_name(), share * 100.0));
        }
    }
}

/// Every session by date, the latest first (years of weekly sessions start where
/// the therapist looks), with its status, a small map by tension, and the gap
/// since the one before; "Open" opens it.
fn timeline(ui: &mut egui::Ui, sessions: &[Session]) -> Option<HistoryEvent> {
    let mut ordered: Vec<&Session> = sessions.iter().collect();
    ordered.sort_by(|a, b| (b.starts_at, &b.id).cmp(&(a.starts_at, &a.id)));
    let Ok(map) = BodyMap::standard() else {
        return None;
    };
    let mut event = None;
    let row_height = SMALL_MAP.y + 8.0;
    // The year of the first row in sight, above the list, so that scrolling through
    // years of sessions always says where it is (the rows are laid out after it,
    // so it is the year of the last frame's first row).
    let year_id = ui.scope_id().with("timeline_year");
    let year = ui.data(|data| data.get_temp::<i16>(year_id)).or(ordered.first().map(|s| s.starts_at.year()));
    if let Some(year) = year {
        ui.label(RichText::new(year.to_string()).heading());
    }
    egui::ScrollArea::vertical().id_salt("timeline").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        ordered.len(),
        |ui, rows| {
            if let Some(first) = ordered.get(rows.start) {
                let shown = first.starts_at.year();
                if year != Some(shown) {
                    ui.data_mut(|data| data.insert_temp(year_id, shown));
                    ui.ctx().request_repaint();
                }
            }
            for index in rows {
                let session = ordered[index];
                ui.horizontal(|ui| {
                    ui.set_height(SMALL_MAP.y);
                    let none = BTreeSet::new();
                    let view = FigureView {
                        layers: LayerView::showing(session.regions.iter().map(|w| w.region)),
                        caution_zones: false,
                        warned: &none,
                        marks: &[],
                    };
                    let figure =
                        Figure::build(map, &SessionValues { session, mode: FillMode::Tension }, &view);
                    let (rect, response) = ui.allocate_exact_size(SMALL_MAP, egui::Sense::hover());
                    paint_figure(ui, rect, &figure, false);
                    said_as_a_map(
                        &response,
                        &format!("Map of {}", day(session)),
                        &SessionValues { session, mode: FillMode::Tension },
                    );
                    ui.vertical(|ui| {
                        let status = if session.entered_in_error.is_some() {
                            "entered in error"
                        } else {
                            session.status.word()
                        };
                        ui.label(
                            RichText::new(session.starts_at.strftime("%a %-d %b %Y, %H:%M").to_string())
                                .strong(),
                        );
                        ui.label(format!(
                            "{status} · {}",
                            words::count(session.regions.len() as i64, "region")
                        ));
                        if let Some(before) = ordered.get(index + 1)
                            && let Ok(span) = before.starts_at.date().until(session.starts_at.date())
                        {
                            ui.weak(format!("{} after the one before", words::count(span.get_days(), "day")));
                        }
                        let open = ui
                            .button("Open")
                            .accessible_name(format!("Open the session of {}", day(session)))
                            .on_hover_text("Open this session (a record opens read-only)");
                        crate::ui::widgets::window::kept_in_sight(&open);
                        if open.clicked() {
                            event = Some(HistoryEvent::Open(session.id.clone()));
                        }
                    });
                });
                ui.add_space(8.0);
            }
        },
    );
    event
}

/// The chart's points as a table a screen reader can walk: a row per session, a
/// cell per line, and an "Open" that says which session and what it recorded, so
/// that Tab and Enter open any point's session as a click on the chart does.
fn points_table(ui: &mut egui::Ui, table: &crate::history::PointTable) -> Option<SessionId> {
    use egui::accesskit::Role;
    const DATE_WIDTH: f32 = 110.0;
    const VALUE_WIDTH: f32 = 96.0;
    let mut opened = None;
    let cell = |ui: &mut egui::Ui, width: f32, text: RichText| {
        ui.add_sized([width, ui.spacing().interact_size.y], egui::Label::new(text).truncate());
    };
    let row = |ui: &mut egui::Ui, contents: &mut dyn FnMut(&mut egui::Ui)| {
        ui.horizontal(|ui| {
            ui.ctx().accesskit_node_builder(ui.unique_id(), |node| node.set_role(Role::Row));
            contents(ui);
        });
    };
    egui::ScrollArea::both().id_salt("trend_points_scroll").max_height(240.0).show(ui, |ui| {
        ui.scope_builder(egui::UiBuilder::new().accessibility_label("Points of the chart"), |ui| {
            ui.ctx().accesskit_node_builder(ui.unique_id(), |node| node.set_role(Role::Table));
            row(ui, &mut |ui| {
                cell(ui, DATE_WIDTH, RichText::new("Date").strong());
                for column in &table.columns {
                    cell(ui, VALUE_WIDTH, RichText::new(capitalised(column)).strong());
                }
            });
            for point in &table.rows {
                let date = point.date.strftime("%-d %b %Y").to_string();
                let said: Vec<String> = table
                    .columns
                    .iter()
                    .zip(&point.values)
                    .filter_map(|(column, value)| {
                        Some(format!("{column} {}", trim_number(f64::from((*value)?))))
                    })
                    .collect();
                row(ui, &mut |ui| {
                    cell(ui, DATE_WIDTH, RichText::new(date.as_str()));
                    for value in &point.values {
                        let shown = value.map_or("–".to_owned(), |value| trim_number(f64::from(value)));
                        cell(ui, VALUE_WIDTH, RichText::new(shown));
                    }
                    let open = ui
                        .button("Open")
                        .accessible_name(format!("Open the session of {date}: {}", said.join(", ")))
                        .on_hover_text("Open this session (a record opens read-only)");
                    crate::ui::widgets::window::kept_in_sight(&open);
                    if open.clicked() {
                        opened = Some(point.session.clone());
                    }
                });
            }
        });
    });
    opened
}

/// 2 for 2.0, 1.5 for 1.5.
fn trim_number(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") }
}

fn day(session: &Session) -> String {
    session.starts_at.strftime("%-d %b %Y").to_string()
}

fn session_picker(
    ui: &mut egui::Ui,
    label: &str,
    sessions: &[&Session],
    chosen: &SessionId,
    choice: &mut Option<SessionId>,
) {
    ui.label(label);
    let shown = sessions.iter().find(|s| &s.id == chosen).map(|s| day(s)).unwrap_or_default();
    let picker = egui::ComboBox::from_id_salt(("history_pick", label))
        .selected_text(shown.as_str())
        .show_ui(ui, |ui| {
            for session in sessions.iter().rev() {
                if ui.selectable_label(&session.id == chosen, day(session)).clicked() {
                    *choice = Some(session.id.clone());
                }
            }
        })
        .response
        .accessible_name(format!("{label} session"));
    crate::ui::widgets::said::chosen(&picker, &shown);
}

/// A map under its caption; returns where it is and its response, for hovering.
fn map_with_caption(
    ui: &mut egui::Ui,
    caption: &str,
    figure: &Figure,
    values: &dyn RegionValues,
    size: Vec2,
) -> (egui::Rect, egui::Response) {
    ui.vertical(|ui| {
        ui.set_width(size.x);
        ui.label(RichText::new(caption).strong());
        let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
        paint_figure(ui, rect, figure, true);
        said_as_a_map(&response, &format!("{caption} map"), values);
        (rect, response)
    })
    .inner
}

/// A map as a screen reader gets it: an image named by its caption, whose value
/// is what it shows, region by region, in words (the colours and symbols said).
fn said_as_a_map(response: &egui::Response, name: &str, values: &dyn RegionValues) {
    // Worded only when a screen reader asks for the tree, not in every frame.
    crate::ui::widgets::said::with_value(response, || {
        let mut info = egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, name);
        info.current_text_value = Some(crate::figure::in_words(values));
        info
    });
}

fn legend_column(ui: &mut egui::Ui, values: &dyn RegionValues) {
    ui.vertical(|ui| {
        ui.set_width(LEGEND_WIDTH - 20.0);
        let (heading, swatches) = values.fill_legend();
        ui.label(RichText::new(heading).strong());
        for swatch in swatches {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(vec2(20.0, 12.0), egui::Sense::hover());
                ui.painter().rect(
                    rect,
                    2.0,
                    super::map::paint::colour(swatch.fill),
                    egui::Stroke::new(1.0, super::map::paint::colour(swatch.border)),
                    egui::StrokeKind::Inside,
                );
                ui.label(swatch.text);
            });
        }
    });
}

/// "Better" from "better".
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A chart line's colour on screen: the legend's, lightened on the dark theme
/// where a dark one (the brown, the grey) would vanish into the background.
fn series_colour(index: usize, dark: bool) -> egui::Color32 {
    let colour = super::map::paint::colour(crate::legend::SERIES[index % crate::legend::SERIES.len()]);
    let light =
        0.2126 * f32::from(colour.r()) + 0.7152 * f32::from(colour.g()) + 0.0722 * f32::from(colour.b());
    if dark && light < 110.0 { colour.lerp_to_gamma(egui::Color32::WHITE, 0.45) } else { colour }
}
