package bus

import (
	"context"
	"fmt"

	"github.com/segmentio/kafka-go"
)

// GroupLag returns, per partition of topic, how many messages the group has
// not committed yet (high watermark minus committed offset).
func GroupLag(ctx context.Context, c Config, group, topic string) (map[int]int64, error) {
	cl, done, err := client(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	meta, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("bus: metadata: %w", err)
	}
	var parts []int
	for _, t := range meta.Topics {
		if t.Name == topic {
			for _, p := range t.Partitions {
				parts = append(parts, p.ID)
			}
		}
	}
	if len(parts) == 0 {
		return map[int]int64{}, nil
	}
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for _, p := range parts {
		req.Topics[topic] = append(req.Topics[topic], kafka.LastOffsetOf(p))
	}
	lo, err := cl.ListOffsets(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bus: list offsets: %w", err)
	}
	of, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: parts}})
	if err != nil {
		return nil, fmt.Errorf("bus: offset fetch: %w", err)
	}
	committed := map[int]int64{}
	for _, p := range of.Topics[topic] {
		committed[p.Partition] = p.CommittedOffset
	}
	lag := map[int]int64{}
	for _, p := range lo.Topics[topic] {
		c := committed[p.Partition]
		if c < 0 {
			c = p.FirstOffset
			if c < 0 {
				c = 0
			}
		}
		l := p.LastOffset - c
		if l < 0 {
			l = 0
		}
		lag[p.Partition] = l
	}
	return lag, nil
}

// GroupAssignments returns, for each member of a stable group, how many
// partitions it is assigned (an empty map while the group rebalances).
func GroupAssignments(ctx context.Context, c Config, group string) (map[string]int, error) {
	cl, done, err := client(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	resp, err := cl.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return nil, fmt.Errorf("bus: describe group %s: %w", group, err)
	}
	out := map[string]int{}
	for _, g := range resp.Groups {
		if g.Error != nil {
			return nil, fmt.Errorf("bus: describe group %s: %w", group, g.Error)
		}
		if g.GroupState != "Stable" {
			continue
		}
		for _, m := range g.Members {
			n := 0
			for _, t := range m.MemberAssignments.Topics {
				n += len(t.Partitions)
			}
			out[m.MemberID] = n
		}
	}
	return out, nil
}

// client is a kafka-go client of the first reachable broker; call done when finished.
func client(ctx context.Context, c Config) (cl *kafka.Client, done func(), err error) {
	tr, err := c.transport()
	if err != nil {
		return nil, nil, err
	}
	addr, err := firstReachable(ctx, c)
	if err != nil {
		tr.CloseIdleConnections()
		return nil, nil, err
	}
	return &kafka.Client{Addr: addr, Transport: tr}, tr.CloseIdleConnections, nil
}
