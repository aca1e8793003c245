package icd10

import _ "embed"

// CDNReranker is reranker/cdn-rerank-v2.gob.gz: the code stage's learned
// re-ranker (train statistics as hashed n-gram buckets and dictionary-name
// counts, plus network weights), trained on CHIP-CDN train only by
// reranker/train. See reranker/MODEL_CARD.md.
//
//go:embed reranker/cdn-rerank-v2.gob.gz
var CDNReranker []byte

// CDNRerankerSHA256 is the checksum services/code verifies before loading
// CDNReranker.
const CDNRerankerSHA256 = "f82be4e68d795d03846bd83cb11d21232075461e466a8b408fb98635ff103eda"
