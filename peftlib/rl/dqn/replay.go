package dqn

import (
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
)

// replay is a ring buffer of transitions.
type replay struct {
	size, states, next int
	full               bool
	s, s2              []float32
	a                  []int32
	r, notDone         []float32
}

func newReplay(capacity, states int) *replay {
	return &replay{size: capacity, states: states,
		s: make([]float32, capacity*states), s2: make([]float32, capacity*states),
		a: make([]int32, capacity), r: make([]float32, capacity), notDone: make([]float32, capacity)}
}

func (m *replay) len() int {
	if m.full {
		return m.size
	}
	return m.next
}

func (m *replay) push(s []float64, a int, r float64, s2 []float64, done bool) {
	i := m.next
	for k := 0; k < m.states; k++ {
		m.s[i*m.states+k] = float32(s[k])
		m.s2[i*m.states+k] = float32(s2[k])
	}
	m.a[i], m.r[i] = int32(a), float32(r)
	m.notDone[i] = 1
	if done {
		m.notDone[i] = 0
	}
	m.next = (m.next + 1) % m.size
	if m.next == 0 {
		m.full = true
	}
}

func (m *replay) sample(rng *rand.Rand, n int) (s, a, r, s2, notDone *tensors.Tensor) {
	bs, bs2 := make([]float32, n*m.states), make([]float32, n*m.states)
	ba, br, bnd := make([]int32, n), make([]float32, n), make([]float32, n)
	for j := 0; j < n; j++ {
		i := rng.IntN(m.len())
		copy(bs[j*m.states:], m.s[i*m.states:(i+1)*m.states])
		copy(bs2[j*m.states:], m.s2[i*m.states:(i+1)*m.states])
		ba[j], br[j], bnd[j] = m.a[i], m.r[i], m.notDone[i]
	}
	return tensors.FromFlatDataAndDimensions(bs, n, m.states), tensors.FromFlatDataAndDimensions(ba, n),
		tensors.FromFlatDataAndDimensions(br, n), tensors.FromFlatDataAndDimensions(bs2, n, m.states),
		tensors.FromFlatDataAndDimensions(bnd, n)
}
