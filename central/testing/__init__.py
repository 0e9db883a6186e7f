"""For tests and benchmarks only — never for a union office's receiver.

`faults` makes chosen requests fail on purpose (`serve --test-faults FILE`, a hidden option); `receiver` runs
`python -m central serve` as a process of its own on a free port. A receiver started without that option never
imports this package."""
