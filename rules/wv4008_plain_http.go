package rules

// PlainHTTP is WV4008.
var PlainHTTP = &Rule{
	ID: "WV4008", Name: "plain-http", Severity: Warning,
	Title: "the preflight talks plain http to a host that is not loopback",
	Tags:  []string{"live", "security"},
	Doc: Doc{
		Why:    "Over plain http the API key and the cluster's answers travel unencrypted to any host on the path. Loopback (a port-forward, a local test server) is fine.",
		Fix:    "Use the https URL of the server (with --ca-file for a private certificate authority), or a `kubectl port-forward` to localhost.",
		Source: "wvlint.",
	},
	Example: &Example{
		URL: "http://weaviate.example:8080",
		Answers: []Answer{
			{Path: "/v1/meta", Body: `{"grpcMaxMessageSize":104858000,"hostname":"http://127.0.0.1:8080","modules":{"backup-s3":{"bucketName":"weaviate-backups","endpoint":"s3.eu-west-1.amazonaws.com","useSSL":true}},"version":"1.35.2"}`},
		},
		Output: []string{`server: warning: http://weaviate.example:8080 is plain http to a host that is not loopback: the answers travel unencrypted; use https [WV4008 plain-http]`},
	},
	Live: func(p *LivePass) {
		if p.Cluster.PlainHTTP != "" {
			p.Reportf(EndpointServer, Warning, "%s", p.Cluster.PlainHTTP)
		}
	},
}
