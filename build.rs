//! Rebuild when the default theme changes: `include_dir!` embeds `templates/` and `static/`, but cargo only knows
//! to recompile when told these folders are inputs.
fn main() {
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
}
