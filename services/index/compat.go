package index

import "net/http"

// productHeader is what go-elasticsearch v8 checks on responses to make sure
// it talks to Elasticsearch.
const productHeader = "X-Elastic-Product"

// openSearchCompat adds "X-Elastic-Product: Elasticsearch" to every
// response, which OpenSearch does not send, so that the go-elasticsearch v8
// client accepts an OpenSearch cluster. The index backend only uses APIs
// both share (_index_template, _bulk, _search, _doc, _refresh).
type openSearchCompat struct{ next http.RoundTripper }

// OpenSearchCompatTransport wraps next (http.DefaultTransport when nil) for
// use as elasticsearch.Config.Transport against OpenSearch; see
// ElasticOptions.OpenSearchCompat.
func OpenSearchCompatTransport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return openSearchCompat{next: next}
}

func (t openSearchCompat) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(r)
	if res != nil && res.Header.Get(productHeader) == "" {
		if res.Header == nil {
			res.Header = http.Header{}
		}
		res.Header.Set(productHeader, "Elasticsearch")
	}
	return res, err
}
