"""Getting the tools' exports in: export readers, the raw contract, the raw loader, source lineage
and the source map."""
