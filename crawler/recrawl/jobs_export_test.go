package recrawl

// RunScheduled runs what a schedule firing runs, without waiting for the
// clock.
func (r *Runner) RunScheduled(sources []string) { r.scheduled(sources) }
