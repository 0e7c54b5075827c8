// Package backbones holds the pretrained reference backbones that several notebooks share:
// each is trained here, on offline data, with a fixed recipe, and cached on disk
// (models.Cached), so the first notebook that needs one pays for the pretraining and the
// others load it.
package backbones

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/peftlab/peftlab/peftlib/datasets"
	"github.com/peftlab/peftlab/peftlib/fit"
	"github.com/peftlab/peftlab/peftlib/models"
	"github.com/peftlab/peftlab/peftlib/nb"
)

// FashionViT is the quickstart's vision transformer: 7×7 patches, width 64, 2 layers,
// 4 heads, 10 classes (105,098 parameters).
var FashionViT = models.ViTConfig{Transformer: models.TransformerConfig{Layers: 2, Dim: 64, Heads: 4}}

// FashionData returns the Fashion-MNIST training and test sets at the notebook scale:
// 20,000 training and all 10,000 test images (smoke: 600 and 300), stratified by seed.
func FashionData() (trainSet, testSet *datasets.Images, err error) {
	full, err := datasets.FashionMNIST("train")
	if err != nil {
		return nil, nil, err
	}
	test, err := datasets.FashionMNIST("test")
	if err != nil {
		return nil, nil, err
	}
	return full.Take(nb.Pick(600, 20000), 1), test.Take(nb.Pick(300, 10000), 2), nil
}

// PretrainedFashionViT returns FashionViT trained on upright Fashion-MNIST (FashionData's
// training set, 1,500 Adam steps of 64 at 1e-3; smoke: 30), from the cache when possible.
func PretrainedFashionViT(b compute.Backend) (*model.Store, error) {
	trainSet, testSet, err := FashionData()
	if err != nil {
		return nil, err
	}
	steps := nb.Pick(30, 1500)
	key := map[string]any{"config": FashionViT, "data": trainSet.Name, "n": trainSet.Len(), "steps": steps, "seed": 1}
	return cached("ViT", "quickstart-vit", key, func(store *model.Store) error {
		store.SetParam(model.ParamInitialSeed, int64(1))
		_, err := fit.TrainClassifier(b, store, FashionViT.Logits, trainSet, testSet,
			fit.ClassifierRun{Steps: steps, Seed: 1, Title: "pretraining the ViT"})
		return err
	})
}

// cached returns the backbone cached under name and key, training it first when the cache
// has none, and says which happened (what names the model in that message).
func cached(what, name string, key any, train func(*model.Store) error) (*model.Store, error) {
	store, info, err := models.Cached(name, key, train)
	if err != nil {
		return nil, fmt.Errorf("backbones: %w", err)
	}
	if info.FromCache {
		fmt.Printf("pretrained %s loaded from the cache: %s\n", what, info.Dir)
	} else {
		fmt.Printf("pretrained %s trained and cached in %s\n", what, info.Dir)
	}
	return store, nil
}
