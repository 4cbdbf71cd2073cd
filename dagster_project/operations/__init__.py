"""Running the warehouse: the CLI, jobs' schedules and sensors, the run lock and progress, the Dagster instance."""
