package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// VisionTasks are procedural image tasks in the spirit of VTAB's structured tasks (Zhai et
// al. 2019): what matters in them (where, how many, which way, how far, what pattern) is
// different from object identity, so they test how far adaptation can move a backbone.
var VisionTasks = map[string]int{ // task → number of classes
	"count":       6, // 1–6 small blobs
	"position":    9, // a blob in one cell of a 3×3 grid
	"orientation": 8, // a bar at one of 8 angles (0°–157.5°)
	"distance":    4, // two dots, distance binned
	"texture":     4, // stripes, checker, dots, noise
}

// VisionTask draws n images (side 32) of a procedural task with balanced random labels.
func VisionTask(task string, n int, seed uint64) (*Images, error) {
	classes, ok := VisionTasks[task]
	if !ok {
		return nil, fmt.Errorf("datasets: unknown vision task %q (count, position, orientation, distance, texture)", task)
	}
	const s = 32
	rng := rand.New(rand.NewPCG(seed, 0x76746162))
	out := &Images{Name: "vtab-" + task, H: s, W: s, C: 1, X: make([]float32, n*s*s), Labels: make([]int32, n)}
	for c := 0; c < classes; c++ {
		out.ClassNames = append(out.ClassNames, fmt.Sprint(c))
	}
	for i := 0; i < n; i++ {
		label := i % classes
		img := out.X[i*s*s : (i+1)*s*s]
		blob := func(cx, cy, r float64) {
			for y := 0; y < s; y++ {
				for x := 0; x < s; x++ {
					if d := math.Hypot(float64(x)-cx, float64(y)-cy); d <= r {
						img[y*s+x] = 1
					}
				}
			}
		}
		switch task {
		case "count":
			var placed [][2]float64
			for len(placed) < label+1 {
				cx, cy := 3+rng.Float64()*26, 3+rng.Float64()*26
				ok := true
				for _, p := range placed {
					ok = ok && math.Hypot(p[0]-cx, p[1]-cy) > 6
				}
				if ok {
					placed = append(placed, [2]float64{cx, cy})
					blob(cx, cy, 1.5+rng.Float64())
				}
			}
		case "position":
			cx := (float64(label%3)+0.2+0.6*rng.Float64())*s/3 - 0.5
			cy := (float64(label/3)+0.2+0.6*rng.Float64())*s/3 - 0.5
			blob(cx, cy, 2+rng.Float64()*2)
		case "orientation":
			theta := float64(label)*math.Pi/8 + (rng.Float64()-0.5)*math.Pi/16
			cx, cy := 13+rng.Float64()*6, 13+rng.Float64()*6
			for t := -10.0; t <= 10; t += 0.25 {
				blob(cx+t*math.Cos(theta), cy+t*math.Sin(theta), 1)
			}
		case "distance":
			lo, hi := 4+6*float64(label), 10+6*float64(label)
			d := lo + rng.Float64()*(hi-lo)
			theta := rng.Float64() * 2 * math.Pi
			cx, cy := 16+(rng.Float64()-0.5)*(30-d)*0.5, 16+(rng.Float64()-0.5)*(30-d)*0.5
			blob(cx-d/2*math.Cos(theta), cy-d/2*math.Sin(theta), 1.5)
			blob(cx+d/2*math.Cos(theta), cy+d/2*math.Sin(theta), 1.5)
		case "texture":
			f := 2 + rng.Float64()*3
			phase := rng.Float64() * 2 * math.Pi
			theta := rng.Float64() * math.Pi
			for y := 0; y < s; y++ {
				for x := 0; x < s; x++ {
					u := float64(x)*math.Cos(theta) + float64(y)*math.Sin(theta)
					v := -float64(x)*math.Sin(theta) + float64(y)*math.Cos(theta)
					var val float64
					switch label {
					case 0: // stripes
						val = 0.5 + 0.5*math.Sin(2*math.Pi*u/(2*f)+phase)
					case 1: // checker
						val = 0.5 + 0.5*math.Sin(2*math.Pi*u/(2*f)+phase)*math.Sin(2*math.Pi*v/(2*f))
					case 2: // dots
						du, dv := math.Mod(u+100*f, 2*f)-f, math.Mod(v+100*f, 2*f)-f
						if math.Hypot(du, dv) < f*0.5 {
							val = 1
						}
					default: // noise
						val = rng.Float64()
					}
					img[y*s+x] = float32(val)
				}
			}
		}
		out.Labels[i] = int32(label)
	}
	// Shuffle the examples (labels were assigned round-robin).
	perm := rng.Perm(n)
	return out.Subset(out.Name, perm), nil
}
