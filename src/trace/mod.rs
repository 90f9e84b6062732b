//! Lock-handoff traces: the event model, recording, and the renderers (text, Chrome Trace
//! Event JSON for Perfetto, SVG timeline).

pub mod chrome;
pub mod collect;
pub mod event;
#[cfg(test)]
mod fixture;
pub mod output;
pub mod recorder;
pub mod step;
pub mod svg;
pub mod text;
pub mod timeline;

pub use event::{Event, EventKind, ProcessInfo, ThreadInfo, Trace, TraceMeta};

/// How `gilsim trace` renders a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per event, then the statistics.
    Text,
    /// Chrome Trace Event JSON, for ui.perfetto.dev and chrome://tracing.
    Chrome,
    /// A timeline picture.
    Svg,
}

/// What to do with the trace of a run.
#[derive(Clone, Debug)]
pub enum Request {
    /// Render it to a file (`-` or none: standard output).
    Render {
        format: Format,
        output: Option<std::path::PathBuf>,
    },
    /// Step through it interactively (`gilsim step`).
    Step,
}

/// Renders a trace in `format`.
pub fn render(trace: &Trace, format: Format) -> String {
    match format {
        Format::Text => text::render_text(trace),
        Format::Chrome => chrome::render_chrome(trace),
        Format::Svg => svg::render_svg(trace),
    }
}

/// Does what `request` asks with a finished trace: writes the rendering (atomically, see
/// [`output`]) or starts the stepper.
pub fn deliver(trace: &Trace, request: &Request) -> Result<(), String> {
    match request {
        Request::Render { format, output } => {
            let text = render(trace, *format);
            let path = output.as_deref().filter(|p| p.as_os_str() != "-");
            output::write_output(path, text.as_bytes()).map_err(|e| {
                format!(
                    "cannot write the trace to {}: {e}",
                    path.map(|p| p.display().to_string())
                        .unwrap_or("standard output".into())
                )
            })
        }
        Request::Step => step::run(trace),
    }
}
