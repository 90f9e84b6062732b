//! Compiles `grammar/*.lalrpop` into OUT_DIR; generated code is never committed.
fn main() {
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .set_in_dir("grammar")
        .emit_rerun_directives(true)
        .process()
        .expect("lalrpop grammar failed to compile");
}
