package rules

import "strings"

// LiveUnreadable is WV4001.
var LiveUnreadable = &Rule{
	ID: "WV4001", Name: "live-unreadable", Severity: Error,
	Title: "the running server could not be read",
	Tags:  []string{"live"},
	Doc: Doc{
		Why:    "A preflight that cannot read an endpoint cannot judge what depends on it: an unreachable server, a 401 without the API key, a timeout or an answer that is not Weaviate's JSON would otherwise pass a cluster nobody looked at.",
		Fix:    "Check the URL, the network path and the credentials (WEAVIATE_API_KEY or --api-key-file, --ca-file for a private CA); the message gives the server's answer.",
		Source: "wvlint.",
	},
	Example: &Example{
		Answers: []Answer{
			{Path: "/v1/meta", Body: `{"grpcMaxMessageSize":104858000,"hostname":"http://127.0.0.1:8080","modules":{"generative-openai":{"documentationHref":"https://platform.openai.com/docs/api-reference/completions","name":"Generative Search - OpenAI"}},"version":"1.35.2"}`},
			{Path: "/v1/nodes", Body: `{"nodes":[{"batchStats":{"queueLength":0,"ratePerSecond":0},"name":"node1","operationalMode":"ReadWrite","shards":null,"status":"HEALTHY","version":"1.35.2"}]}`},
			{Path: "/v1/cluster/statistics", Status: 401, Body: `{"code":401,"message": "anonymous access not enabled. Please authenticate through one of the available methods: [API-keys]" }`},
		},
		Output: []string{`/v1/cluster/statistics: error: could not read GET /v1/cluster/statistics: HTTP 401 (unauthorized: set WEAVIATE_API_KEY or --api-key-file): "anonymous access not enabled. Please authenticate through one of the available methods: [API-keys]"; what depends on it is not judged [WV4001 live-unreadable]`},
	},
	Live: func(p *LivePass) {
		for _, u := range p.Cluster.Unread {
			if u.Endpoint == EndpointServer {
				p.Reportf(u.Endpoint, Error, "the server does not answer: %s; nothing is judged", u.Err)
				continue
			}
			msg := strings.TrimPrefix(u.Err, "GET "+u.Endpoint+": ")
			p.Reportf(u.Endpoint, Error, "could not read GET %s: %s; what depends on it is not judged", u.Endpoint, msg)
		}
	},
}
