package icd10

import _ "embed"

// CDNReranker is reranker/cdn-rerank-v1.gob.gz: the code stage's learned
// re-ranker (train statistics as hashed n-gram buckets and dictionary-name
// counts, plus network weights), trained on CHIP-CDN train only by
// reranker/train. See reranker/MODEL_CARD.md.
//
//go:embed reranker/cdn-rerank-v1.gob.gz
var CDNReranker []byte

// CDNRerankerSHA256 is the checksum services/code verifies before loading
// CDNReranker.
const CDNRerankerSHA256 = "97229b1c042c6b4e18c7089429c21ea22609359975f1b3f6132271ab252dd095"
