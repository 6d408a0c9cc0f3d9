/*
 * nfq-delay: holds every packet iptables sends to an NFQUEUE for a fixed time before letting it
 * through, drops a given share of them, and can pace them to a rate (a token bucket whose queue
 * holds at most 400 ms, as tc's tbf with `latency 400ms`). The e2e tests' stand-in for `tc netem`,
 * which this kernel lacks, and for tbf where only some traffic is to be shaped.
 * Usage: nfq-delay QUEUE DELAY_MS [DROP_PERCENT [RATE_KBIT]]. Packets leave in arrival order.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define CAPACITY 65536

static uint32_t ids[CAPACITY];
static double due[CAPACITY];
static unsigned head, tail;
static double delay_ms;
static int drop_percent;
static double rate_kbit;
/** When the paced link is next free, in ms. */
static double link_free;
#define QUEUE_LIMIT_MS 400.0

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *msg, struct nfq_data *data, void *unused) {
  (void)msg;
  (void)unused;
  struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(data);
  if (!header) return 0;
  uint32_t id = ntohl(header->packet_id);
  if ((drop_percent > 0 && rand() % 100 < drop_percent) || tail - head >= CAPACITY)
    return nfq_set_verdict(queue, id, NF_DROP, 0, NULL);
  double now = now_ms();
  double leaves = now;
  if (rate_kbit > 0) {
    unsigned char *payload;
    int length = nfq_get_payload(data, &payload);
    double start = link_free > now ? link_free : now;
    if (start - now > QUEUE_LIMIT_MS) return nfq_set_verdict(queue, id, NF_DROP, 0, NULL);
    link_free = start + (length > 0 ? length : 0) * 8.0 / rate_kbit;
    leaves = link_free;
  }
  ids[tail % CAPACITY] = id;
  due[tail % CAPACITY] = leaves + delay_ms;
  tail++;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: nfq-delay QUEUE DELAY_MS [DROP_PERCENT [RATE_KBIT]]\n");
    return 2;
  }
  int queue_number = atoi(argv[1]);
  delay_ms = atof(argv[2]);
  drop_percent = argc > 3 ? atoi(argv[3]) : 0;
  rate_kbit = argc > 4 ? atof(argv[4]) : 0;
  srand(1);
  struct nfq_handle *handle = nfq_open();
  if (!handle) return perror("nfq_open"), 1;
  struct nfq_q_handle *queue = nfq_create_queue(handle, queue_number, &on_packet, NULL);
  if (!queue) return perror("nfq_create_queue"), 1;
  // Pacing needs each packet's length: copy whole packets (UDP here, at most one MTU each).
  if (nfq_set_mode(queue, rate_kbit > 0 ? NFQNL_COPY_PACKET : NFQNL_COPY_META, 0xffff) < 0)
    return perror("nfq_set_mode"), 1;
  nfq_set_queue_maxlen(queue, CAPACITY);
  int fd = nfq_fd(handle);
  char buffer[65536];
  printf("ready\n");
  fflush(stdout);
  for (;;) {
    int wait = 1000;
    if (head != tail) {
      double left = due[head % CAPACITY] - now_ms();
      wait = left <= 0 ? 0 : (int)left + 1;
    }
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, wait) > 0) {
      int n = recv(fd, buffer, sizeof buffer, 0);
      if (n >= 0) nfq_handle_packet(handle, buffer, n);
      else if (errno != ENOBUFS && errno != EINTR) return perror("recv"), 1;
    }
    double t = now_ms();
    while (head != tail && due[head % CAPACITY] <= t) {
      nfq_set_verdict(queue, ids[head % CAPACITY], NF_ACCEPT, 0, NULL);
      head++;
    }
  }
}
