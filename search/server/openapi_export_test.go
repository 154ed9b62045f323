package server

// Routes lists the route table of s as "METHOD /path" with gin's
// parameter syntax (":id", "*file"), for the OpenAPI tests.
func Routes(s *Server) []string {
	var out []string
	for _, r := range s.router.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}
