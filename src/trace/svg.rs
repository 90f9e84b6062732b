//! A self-contained SVG timeline of a trace, for a learner's notes: one lane per thread
//! coloured by state, a "GIL holder" lane per process, handoff arrows when few, a time
//! axis and a legend. Slices too thin to see are merged so that huge traces stay small.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::event::{ThreadInfo, Trace};
use super::text::format_interval_us;
use super::timeline::{self, State};

const WIDTH: f64 = 1200.0;
/// Right edge of the lane labels, and the plot's horizontal extent.
const LABEL_RIGHT: f64 = 172.0;
const PLOT_X0: f64 = 192.0;
const PLOT_X1: f64 = 1176.0;
const LANE_H: f64 = 18.0;
const LANE_PITCH: f64 = 24.0;
const GROUP_H: f64 = 24.0;
const TOP: f64 = 72.0;
/// Slices narrower than this (in px) are merged with their neighbours.
const MIN_PX: f64 = 0.5;
/// Tooltips only on rectangles wide enough to point at, to keep big files small.
const TOOLTIP_PX: f64 = 2.0;
/// More handoffs than this would be a grey smear, not arrows.
const MAX_ARROWS: usize = 200;
pub(crate) const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
pub(crate) const INK: &str = "#1f2937";
pub(crate) const MUTED: &str = "#6b7280";

/// The fill of each state: Okabe–Ito hues (distinguishable with every common colour
/// vision deficiency), running strong, the waits lighter, waiting for the lock hatched.
fn fill(state: State) -> &'static str {
    match state {
        State::Running => "#0072b2",
        State::WaitingForGil => "url(#hatch)",
        State::Sleeping => "#7fcfb5",
        State::Io => "#cc79a7",
        State::Blocked => "#d55e00",
    }
}

fn legend_label(state: State) -> &'static str {
    match state {
        State::Running => "running (holds the GIL)",
        State::WaitingForGil => "waiting for the GIL",
        State::Sleeping => "sleeping",
        State::Io => "I/O",
        State::Blocked => "blocked (lock, join)",
    }
}

/// Holder colours, one per thread (Paul Tol's muted scheme), with a readable text colour.
/// (Hues near a state's fill come last, so the usual two to four threads never look like
/// a state.)
const HOLDER: [(&str, &str); 9] = [
    ("#332288", "#ffffff"),
    ("#999933", "#ffffff"),
    ("#882255", "#ffffff"),
    ("#88ccee", INK),
    ("#ddcc77", INK),
    ("#117733", "#ffffff"),
    ("#aa4499", "#ffffff"),
    ("#777777", "#ffffff"),
    ("#cc6677", "#ffffff"),
];

/// The opening `<svg>` tag of a picture `width` × `height`, in the house font and ink.
pub(crate) fn svg_open(width: f64, height: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"{FONT}\" font-size=\"12\" fill=\"{INK}\">",
        w = num(width),
        h = num(height)
    );
    out
}

/// Escapes text for XML content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most two decimals and no trailing zeros.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.into()
    }
}

/// Shortens a label to `max` characters with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Rough width of 12 px sans-serif text, for layout without font metrics.
pub(crate) fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * 6.8
}

/// A duration for tooltips and the subtitle, three significant figures or so.
fn duration(ns: u64) -> String {
    let f = ns as f64;
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{:.1} µs", f / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.2} ms", f / 1e6)
    } else {
        format!("{:.3} s", f / 1e9)
    }
}

/// The time axis: a 1/2/5 × 10^k step giving about eight ticks, and the unit to label
/// them in.
struct Axis {
    span_ns: u64,
    step_ns: u64,
    unit_ns: u64,
    unit: &'static str,
    decimals: u32,
}

impl Axis {
    fn new(span_ns: u64) -> Axis {
        let span_ns = span_ns.max(1);
        let raw = (span_ns / 8).max(1);
        let mut pow = 1u64;
        let step_ns = loop {
            if let Some(m) = [1u64, 2, 5]
                .iter()
                .filter_map(|m| m.checked_mul(pow))
                .find(|&s| s >= raw)
            {
                break m;
            }
            match pow.checked_mul(10) {
                Some(p) => pow = p,
                None => break u64::MAX,
            }
        };
        let (unit_ns, unit) = match span_ns {
            0..=999 => (1, "ns"),
            1_000..=999_999 => (1_000, "µs"),
            1_000_000..=999_999_999 => (1_000_000, "ms"),
            _ => (1_000_000_000, "s"),
        };
        // Just enough decimals to write every multiple of the step exactly.
        let mut decimals = 0;
        while decimals < 9 && !(step_ns as u128 * 10u128.pow(decimals)).is_multiple_of(unit_ns as u128) {
            decimals += 1;
        }
        Axis {
            span_ns,
            step_ns,
            unit_ns,
            unit,
            decimals,
        }
    }

    fn x(&self, ns: u64) -> f64 {
        PLOT_X0 + (ns.min(self.span_ns) as f64 / self.span_ns as f64) * (PLOT_X1 - PLOT_X0)
    }

    fn ticks(&self) -> Vec<u64> {
        let mut out = Vec::new();
        let mut t = 0u64;
        while t <= self.span_ns && out.len() < 64 {
            out.push(t);
            match t.checked_add(self.step_ns) {
                Some(n) => t = n,
                None => break,
            }
        }
        out
    }

    fn label(&self, ns: u64) -> String {
        let whole = ns / self.unit_ns;
        if self.decimals == 0 {
            return whole.to_string();
        }
        let frac = (ns % self.unit_ns) as u128 * 10u128.pow(self.decimals) / self.unit_ns as u128;
        format!("{whole}.{frac:0w$}", w = self.decimals as usize)
    }
}

/// A drawn rectangle: one interval, or several merged, shown as `key` (a state's or a
/// holder's index).
struct Rect {
    x0: f64,
    x1: f64,
    key: usize,
    start_ns: u64,
    end_ns: u64,
    /// How many intervals it stands for (1: the tooltip can be precise).
    count: usize,
}

/// Turns time-ordered intervals `(start, end, key)` into rectangles at least `MIN_PX`
/// wide where they can be: runs of thinner intervals become one rectangle of the key that
/// covers most time in the run, and touching rectangles of one key are joined.
fn coalesce(items: &[(u64, u64, usize)], axis: &Axis) -> Vec<Rect> {
    struct Bucket {
        x0: f64,
        x1: f64,
        start_ns: u64,
        end_ns: u64,
        weight: BTreeMap<usize, u64>,
        count: usize,
    }
    fn flush(b: Bucket, out: &mut Vec<Rect>) {
        // Most time wins; ties go to the lower key, so the output is deterministic.
        let mut key = 0;
        let mut best = 0;
        for (&k, &w) in &b.weight {
            if w > best || best == 0 {
                key = k;
                best = w;
            }
        }
        out.push(Rect {
            x0: b.x0,
            x1: b.x1,
            key,
            start_ns: b.start_ns,
            end_ns: b.end_ns,
            count: b.count,
        });
    }

    let mut out: Vec<Rect> = Vec::new();
    let mut pending: Option<Bucket> = None;
    for &(start, end, key) in items {
        let (x0, x1) = (axis.x(start), axis.x(end));
        if pending.as_ref().is_some_and(|b| x0 - b.x1 > MIN_PX) {
            flush(pending.take().expect("checked"), &mut out);
        }
        if x1 - x0 >= MIN_PX {
            if let Some(b) = pending.take() {
                flush(b, &mut out);
            }
            out.push(Rect {
                x0,
                x1,
                key,
                start_ns: start,
                end_ns: end,
                count: 1,
            });
            continue;
        }
        let b = pending.get_or_insert_with(|| Bucket {
            x0,
            x1,
            start_ns: start,
            end_ns: end,
            weight: BTreeMap::new(),
            count: 0,
        });
        b.x1 = b.x1.max(x1);
        b.end_ns = b.end_ns.max(end);
        *b.weight.entry(key).or_insert(0) += end.saturating_sub(start);
        b.count += 1;
        if b.x1 - b.x0 >= MIN_PX {
            flush(pending.take().expect("just inserted"), &mut out);
        }
    }
    if let Some(b) = pending {
        flush(b, &mut out);
    }

    let mut joined: Vec<Rect> = Vec::with_capacity(out.len());
    for r in out {
        match joined.last_mut() {
            Some(last) if last.key == r.key && r.x0 - last.x1 < 0.01 => {
                last.x1 = r.x1;
                last.end_ns = r.end_ns;
                last.count += r.count;
            }
            _ => joined.push(r),
        }
    }
    joined
}

/// One horizontal band of the picture.
enum Row {
    /// A process's heading (only when there are several).
    Process {
        pid: u32,
        label: String,
    },
    Holder {
        pid: u32,
    },
    Thread {
        info: ThreadInfo,
    },
}

/// Writes one lane's rectangles, grouped by fill so each colour is named once.
fn draw_rects(
    out: &mut String,
    rects: &[Rect],
    y: f64,
    fills: &dyn Fn(usize) -> String,
    tip: &dyn Fn(&Rect) -> String,
) {
    let mut by_key: BTreeMap<usize, Vec<&Rect>> = BTreeMap::new();
    for r in rects {
        by_key.entry(r.key).or_default().push(r);
    }
    for (key, rs) in by_key {
        let _ = writeln!(out, "<g fill=\"{}\">", fills(key));
        for r in rs {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                num(r.x0),
                num(y),
                num((r.x1 - r.x0).max(MIN_PX)),
                num(LANE_H)
            );
            if r.x1 - r.x0 >= TOOLTIP_PX {
                let _ = writeln!(out, "><title>{}</title></rect>", esc(&tip(r)));
            } else {
                out.push_str("/>\n");
            }
        }
        out.push_str("</g>\n");
    }
}

/// The whole SVG document.
pub fn render_svg(trace: &Trace) -> String {
    let m = &trace.meta;
    let axis = Axis::new(timeline::end_ns(trace));
    let threads = timeline::threads(trace);
    let pids = timeline::pids(trace);
    let slices = timeline::slices(trace);
    let holders = timeline::holder_lanes(trace);
    let handoffs = timeline::handoffs(trace);

    // Each thread's holder colour, by its position among all threads.
    let colour_of: BTreeMap<(u32, u32), usize> = threads
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.pid, t.tid), i % HOLDER.len()))
        .collect();

    // Layout: rows top to bottom, with their y.
    let mut rows: Vec<(f64, Row)> = Vec::new();
    let mut y = TOP;
    for &pid in &pids {
        let has_holder = holders.iter().any(|h| h.0 == pid);
        let lanes: Vec<&ThreadInfo> = threads.iter().filter(|t| t.pid == pid).collect();
        if lanes.is_empty() && !has_holder {
            continue;
        }
        if pids.len() > 1 {
            let name = trace.processes.iter().find(|p| p.pid == pid).map(|p| p.name.as_str());
            let label = match name {
                Some(n) => format!("process {pid} · {n}"),
                None => format!("process {pid}"),
            };
            rows.push((y, Row::Process { pid, label }));
            y += GROUP_H;
        }
        if has_holder {
            rows.push((y, Row::Holder { pid }));
            y += LANE_PITCH;
        }
        for t in lanes {
            rows.push((y, Row::Thread { info: t.clone() }));
            y += LANE_PITCH;
        }
    }
    let lanes_bottom = if rows.is_empty() { y + LANE_PITCH } else { y };
    let axis_y = lanes_bottom + 2.0;
    let legend_y = axis_y + 52.0;
    let height = legend_y + 38.0;

    let mut out = svg_open(WIDTH, height);
    let program = if m.program.is_empty() {
        "trace"
    } else {
        m.program.as_str()
    };
    let _ = writeln!(out, "<title>gilsim trace of {}</title>", esc(program));
    out.push_str(
        "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fce8b8\"/>\
         <rect width=\"2.5\" height=\"6\" fill=\"#e69f00\"/></pattern></defs>\n",
    );
    let _ = writeln!(
        out,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(WIDTH),
        num(height)
    );

    // Title: what ran and how.
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"30\" font-size=\"18\" font-weight=\"600\">{}</text>",
        esc(&clip(program, 90))
    );
    let mut sub = Vec::new();
    if !m.mode.is_empty() {
        sub.push(m.mode.clone());
    }
    if !m.policy.is_empty() {
        sub.push(format!("GIL {}", m.policy));
    }
    sub.push(format!("switch interval {}", format_interval_us(m.switch_interval_us)));
    if m.policy == "old" {
        sub.push(format!("check interval {}", m.check_interval));
    }
    if let Some(seed) = m.seed {
        sub.push(format!("seed {seed}"));
    }
    if let Some(cores) = m.cores {
        sub.push(format!("{cores} cores"));
    }
    sub.push(format!("{} threads", threads.len()));
    if pids.len() > 1 {
        sub.push(format!("{} processes", pids.len()));
    }
    sub.push(format!("{} run", duration(timeline::end_ns(trace))));
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"50\" fill=\"{MUTED}\">{}</text>",
        esc(&sub.join(" · "))
    );

    // Grid lines behind everything.
    let ticks = axis.ticks();
    out.push_str("<g stroke=\"#e5e7eb\" stroke-width=\"1\">\n");
    for &t in &ticks {
        let x = num(axis.x(t));
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            num(TOP - 4.0),
            num(axis_y)
        );
    }
    out.push_str("</g>\n");

    // Lanes.
    let mut lane_y: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    let state_items = |pid: u32, tid: u32| -> Vec<(u64, u64, usize)> {
        let first = slices.partition_point(|s| (s.pid, s.tid) < (pid, tid));
        slices[first..]
            .iter()
            .take_while(|s| (s.pid, s.tid) == (pid, tid))
            .map(|s| {
                (
                    s.start_ns,
                    s.end_ns,
                    State::ALL.iter().position(|&a| a == s.state).unwrap_or(0),
                )
            })
            .collect()
    };
    for (y, row) in &rows {
        let y = *y;
        match row {
            Row::Process { pid, label } => {
                let _ = writeln!(
                    out,
                    "<text x=\"16\" y=\"{}\" font-weight=\"600\" data-pid=\"{pid}\">{}</text>",
                    num(y + 16.0),
                    esc(label)
                );
                let _ = writeln!(
                    out,
                    "<line x1=\"16\" y1=\"{y1}\" x2=\"{}\" y2=\"{y1}\" stroke=\"#d1d5db\"/>",
                    num(PLOT_X1),
                    y1 = num(y + 21.0)
                );
            }
            Row::Holder { pid } => {
                let _ = writeln!(out, "<g class=\"lane holder\" data-pid=\"{pid}\">");
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-style=\"italic\" fill=\"{MUTED}\">GIL holder</text>",
                    num(LABEL_RIGHT),
                    num(y + 13.0)
                );
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f3f4f6\"/>",
                    num(PLOT_X0),
                    num(y),
                    num(PLOT_X1 - PLOT_X0),
                    num(LANE_H)
                );
                // Keys are thread positions, so merged runs keep who held the lock.
                let items: Vec<(u64, u64, usize)> = holders
                    .iter()
                    .filter(|h| h.0 == *pid)
                    .map(|&(p, tid, s, e)| {
                        (
                            s,
                            e,
                            threads.iter().position(|t| (t.pid, t.tid) == (p, tid)).unwrap_or(0),
                        )
                    })
                    .collect();
                let rects = coalesce(&items, &axis);
                let name = |key: usize| threads.get(key).map(|t| t.name.clone()).unwrap_or_default();
                let colour = |key: usize| {
                    let t = threads.get(key);
                    HOLDER[t.and_then(|t| colour_of.get(&(t.pid, t.tid)).copied()).unwrap_or(0)]
                };
                draw_rects(&mut out, &rects, y, &|k| colour(k).0.to_string(), &|r| {
                    if r.count == 1 {
                        format!("{} holds the GIL for {}", name(r.key), duration(r.end_ns - r.start_ns))
                    } else {
                        format!("mostly {} ({} holds merged)", name(r.key), r.count)
                    }
                });
                // Holder names where they fit.
                for r in &rects {
                    let label = name(r.key);
                    if r.x1 - r.x0 >= label.chars().count() as f64 * 5.8 + 8.0 {
                        let _ = writeln!(
                            out,
                            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
                            num((r.x0 + r.x1) / 2.0),
                            num(y + 12.5),
                            colour(r.key).1,
                            esc(&label)
                        );
                    }
                }
                out.push_str("</g>\n");
            }
            Row::Thread { info } => {
                lane_y.insert((info.pid, info.tid), y);
                let _ = writeln!(
                    out,
                    "<g class=\"lane thread\" data-pid=\"{}\" data-tid=\"{}\">",
                    info.pid, info.tid
                );
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
                    num(LABEL_RIGHT),
                    num(y + 13.0),
                    esc(&format!("{} (thread {}, process {})", info.name, info.tid, info.pid)),
                    esc(&clip(&info.name, 24))
                );
                if holders.iter().any(|h| h.0 == info.pid) {
                    let c = colour_of.get(&(info.pid, info.tid)).copied().unwrap_or(0);
                    let _ = writeln!(
                        out,
                        "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" rx=\"2\" fill=\"{}\"/>",
                        num(LABEL_RIGHT + 6.0),
                        num(y + 5.0),
                        HOLDER[c].0
                    );
                }
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f9fafb\"/>",
                    num(PLOT_X0),
                    num(y),
                    num(PLOT_X1 - PLOT_X0),
                    num(LANE_H)
                );
                let rects = coalesce(&state_items(info.pid, info.tid), &axis);
                let state = |key: usize| State::ALL.get(key).copied().unwrap_or(State::Running);
                draw_rects(&mut out, &rects, y, &|k| fill(state(k)).to_string(), &|r| {
                    let what = if r.count == 1 {
                        state(r.key).name().replace('_', " ")
                    } else {
                        format!(
                            "mostly {} ({} slices merged)",
                            state(r.key).name().replace('_', " "),
                            r.count
                        )
                    };
                    format!(
                        "{}: {what}, {}–{} s ({})",
                        info.name,
                        super::text::format_seconds(r.start_ns),
                        super::text::format_seconds(r.end_ns),
                        duration(r.end_ns - r.start_ns)
                    )
                });
                out.push_str("</g>\n");
            }
        }
    }
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">no events recorded</text>",
            num((PLOT_X0 + PLOT_X1) / 2.0),
            num(TOP + 14.0)
        );
    }

    // Handoff arrows: from the releasing lane to the acquiring one.
    let arrows: Vec<(f64, f64, f64, f64)> = handoffs
        .iter()
        .filter_map(|h| {
            let (y0, y1) = (*lane_y.get(&(h.pid, h.from_tid))?, *lane_y.get(&(h.pid, h.to_tid))?);
            let (ya, yb) = if y0 < y1 { (y0 + LANE_H, y1) } else { (y0, y1 + LANE_H) };
            Some((axis.x(h.release_ns), ya, axis.x(h.acquire_ns), yb))
        })
        .collect();
    let show_arrows = !arrows.is_empty() && arrows.len() <= MAX_ARROWS;
    if show_arrows {
        out.push_str(
            "<g class=\"handoffs\" stroke=\"#374151\" stroke-width=\"1\" stroke-opacity=\"0.7\" fill=\"none\">\n",
        );
        for (x0, y0, x1, y1) in &arrows {
            let _ = writeln!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                num(*x0),
                num(*y0),
                num(*x1),
                num(*y1)
            );
        }
        out.push_str("</g>\n");
    }

    // Time axis.
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{ay}\" x2=\"{}\" y2=\"{ay}\" stroke=\"{MUTED}\"/>",
        num(PLOT_X0),
        num(PLOT_X1),
        ay = num(axis_y)
    );
    out.push_str(&format!(
        "<g fill=\"{MUTED}\" font-size=\"11\" text-anchor=\"middle\">\n"
    ));
    for &t in &ticks {
        let x = num(axis.x(t));
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{MUTED}\"/><text x=\"{x}\" y=\"{}\">{}</text>",
            num(axis_y),
            num(axis_y + 5.0),
            num(axis_y + 18.0),
            axis.label(t)
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"{MUTED}\" font-size=\"11\">time since start ({})</text>",
        num(PLOT_X1),
        num(axis_y + 34.0),
        axis.unit
    );

    // Legend.
    out.push_str("<g class=\"legend\">\n");
    let mut x = PLOT_X0;
    let ly = legend_y;
    for state in State::ALL {
        let label = legend_label(state);
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" rx=\"2\" fill=\"{}\" data-state=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(ly - 11.0),
            fill(state),
            state.name(),
            num(x + 20.0),
            num(ly),
            esc(label)
        );
        x += 20.0 + text_width(label) + 18.0;
    }
    if show_arrows {
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#374151\"/><text x=\"{}\" y=\"{}\">GIL handoff</text>",
            num(x),
            num(ly - 9.0),
            num(x + 14.0),
            num(ly - 1.0),
            num(x + 20.0),
            num(ly)
        );
    }
    out.push_str("</g>\n");
    let mut foot = format!("{} events · {} handoffs", trace.events.len(), handoffs.len());
    if trace.dropped > 0 {
        foot.push_str(&format!(" · {} events dropped past the recording cap", trace.dropped));
    }
    foot.push_str(" · gilsim");
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#9ca3af\">{}</text>",
        num(PLOT_X0),
        num(ly + 22.0),
        esc(&foot)
    );
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gil::Release;
    use crate::trace::event::{Event, EventKind};
    use crate::trace::timeline::tests::sample;

    /// Opening and closing tags balance (a crude well-formedness check without a parser).
    fn assert_balanced(svg: &str) {
        for tag in ["svg", "g", "text", "title", "defs", "pattern"] {
            let opened = svg.matches(&format!("<{tag}>")).count() + svg.matches(&format!("<{tag} ")).count();
            let closed = svg.matches(&format!("</{tag}>")).count();
            assert_eq!(opened, closed, "<{tag}> unbalanced");
        }
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
    }

    #[test]
    fn sample_has_lanes_legend_title_and_axis() {
        let svg = render_svg(&sample());
        assert_balanced(&svg);
        assert_eq!(svg.matches("class=\"lane thread\"").count(), 2);
        assert_eq!(svg.matches("class=\"lane holder\"").count(), 1);
        for label in [
            "running (holds the GIL)",
            "waiting for the GIL",
            "sleeping",
            "I/O",
            "blocked (lock, join)",
        ] {
            assert!(svg.contains(&format!(">{label}</text>")), "legend lacks {label}");
        }
        for state in State::ALL {
            assert!(svg.contains(&format!("data-state=\"{}\"", state.name())));
        }
        assert!(svg.contains(">two.py</text>"));
        assert!(svg.contains("deterministic · GIL new · switch interval 5 ms · seed 7 · 2 cores"));
        assert!(svg.contains(">MainThread</text>") && svg.contains(">main-0</text>"));
        // A 20 µs run: ticks every 5 µs, labelled in µs.
        assert!(svg.contains("time since start (µs)"));
        for tick in ["0", "5", "10", "15", "20"] {
            assert!(svg.contains(&format!(">{tick}</text>")), "no tick {tick}");
        }
        // Four handoffs, drawn as arrows.
        let arrows = &svg[svg.find("class=\"handoffs\"").expect("arrows")..];
        let arrows = &arrows[..arrows.find("</g>").unwrap()];
        assert_eq!(arrows.matches("<line ").count(), 4);
        assert_eq!(render_svg(&sample()), svg, "deterministic");
    }

    #[test]
    fn the_first_running_slice_is_drawn_where_it_happened() {
        let svg = render_svg(&sample());
        // MainThread runs 1 µs → 7.5 µs of a 20 µs run: x from 192 + 984 × 0.05.
        let x0 = num(PLOT_X0 + (PLOT_X1 - PLOT_X0) * 0.05);
        let w = num((PLOT_X1 - PLOT_X0) * 0.325);
        assert!(
            svg.contains(&format!("<rect x=\"{x0}\" y=\"96\" width=\"{w}\" height=\"18\"")),
            "{svg}"
        );
    }

    #[test]
    fn text_is_escaped() {
        let mut t = sample();
        t.meta.program = "a<b>&\"c\".py".into();
        t.threads[0].name = "<script>".into();
        let svg = render_svg(&t);
        assert!(svg.contains("a&lt;b&gt;&amp;&quot;c&quot;.py"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert_balanced(&svg);
    }

    #[test]
    fn several_processes_get_headings() {
        let mut t = sample();
        t.processes.push(crate::trace::ProcessInfo {
            pid: 2,
            name: "SpawnProcess-1".into(),
        });
        t.threads.push(ThreadInfo {
            pid: 2,
            tid: 3,
            name: "MainThread".into(),
        });
        t.events.push(Event {
            t_ns: 3_000,
            pid: 2,
            tid: 3,
            line: 0,
            kind: EventKind::GilAcquire,
        });
        let svg = render_svg(&t);
        assert_balanced(&svg);
        assert!(svg.contains(">process 1 · MainProcess</text>"));
        assert!(svg.contains(">process 2 · SpawnProcess-1</text>"));
        assert_eq!(svg.matches("class=\"lane thread\"").count(), 3);
        assert_eq!(svg.matches("class=\"lane holder\"").count(), 2);
    }

    #[test]
    fn huge_traces_stay_small() {
        // Two threads trading the lock every 5 µs for a second: 400k slices.
        let mut t = sample();
        t.events.clear();
        let mut now = 0;
        for i in 0..200_000u64 {
            let (a, b) = if i % 2 == 0 { (1, 2) } else { (2, 1) };
            for (tid, kind) in [
                (a, EventKind::GilAcquire),
                (b, EventKind::GilWant),
                (a, EventKind::GilRelease(Release::Forced)),
            ] {
                t.events.push(Event {
                    t_ns: now,
                    pid: 1,
                    tid,
                    line: 0,
                    kind,
                });
                now += if matches!(kind, EventKind::GilWant) { 5_000 } else { 0 };
            }
        }
        t.end_ns = now;
        assert!(timeline::slices(&t).len() > 390_000);
        let svg = render_svg(&t);
        assert_balanced(&svg);
        assert!(svg.len() < 600_000, "{} bytes", svg.len());
        assert!(svg.matches("<rect").count() < 10_000);
        assert!(!svg.contains("class=\"handoffs\""), "too many to draw");
    }

    #[test]
    fn empty_and_odd_traces_render() {
        let svg = render_svg(&Trace::default());
        assert_balanced(&svg);
        assert!(svg.contains("no events recorded"));
        assert!(svg.contains(">trace</text>"));
        let mut t = Trace::default();
        t.events.push(Event {
            t_ns: u64::MAX,
            pid: 7,
            tid: 9,
            line: 3,
            kind: EventKind::GilAcquire,
        });
        let svg = render_svg(&t);
        assert_balanced(&svg);
        assert!(svg.contains(">tid 9</text>"));
    }

    #[test]
    fn axis_steps_are_nice() {
        let a = Axis::new(20_000);
        assert_eq!((a.step_ns, a.unit, a.decimals), (5_000, "µs", 0));
        let a = Axis::new(3_700_000_000);
        assert_eq!((a.step_ns, a.unit, a.decimals), (500_000_000, "s", 1));
        assert_eq!(a.label(1_500_000_000), "1.5");
        let a = Axis::new(1_000_000);
        assert_eq!((a.step_ns, a.unit, a.decimals), (200_000, "ms", 1));
        assert_eq!(a.ticks().len(), 6);
        let a = Axis::new(0);
        assert_eq!((a.step_ns, a.unit), (1, "ns"));
        assert!(Axis::new(u64::MAX).ticks().len() <= 64);
    }
}
