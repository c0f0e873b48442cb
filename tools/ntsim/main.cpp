// `ntsim`: the command-line front end of the kernel.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"ntsim: a user-mode Windows NT kernel for Linux"};
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
